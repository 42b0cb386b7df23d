import type { Operation } from '../../../common/operation';
import type { IExecuteFunctions } from 'n8n-workflow';

import { resetQuota, type QuotaSubject } from '../../../core/quota';
import { NoQuotaError, quotaOutput, readInput, readSubject } from './common';
import { perQuotaItem } from './write';

export const operation: Operation<QuotaSubject> = {
	option: {
		name: 'Reset',
		value: 'reset',
		action: 'Reset a quota',
		description: 'Usage starts again from zero',
	},
	description: [],

	check(this: IExecuteFunctions, i: number) {
		return readInput(this.getNode(), i, () => readSubject.call(this, i));
	},

	write: perQuotaItem(async (db, subject) => {
		const row = await resetQuota(db, subject);
		if (!row) throw new NoQuotaError(subject);
		return {
			output: 0,
			quota: { ...quotaOutput(subject, row), period_start: row.period_start?.toISOString() },
		};
	}),
};
