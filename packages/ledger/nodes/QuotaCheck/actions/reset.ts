import type { Operation } from '../../../common/operation';
import type { IExecuteFunctions } from 'n8n-workflow';

import { parseModelPattern, resetQuota, type QuotaSubject } from '../../../core/quota';
import { NoQuotaError, quotaOutput, readInput, readSubject } from './common';
import { perQuotaItem } from './write';

export const operation: Operation<QuotaSubject & { models: string }> = {
	option: {
		name: 'Reset',
		value: 'reset',
		action: 'Reset a quota',
		description: 'Usage starts again from zero',
	},
	description: [],

	check(this: IExecuteFunctions, i: number) {
		return readInput(this.getNode(), i, () => ({
			...readSubject.call(this, i),
			models: parseModelPattern(this.getNodeParameter('models', i, '')),
		}));
	},

	write: perQuotaItem(async (db, { models, ...subject }) => {
		const row = await resetQuota(db, subject, models);
		if (!row) throw new NoQuotaError(subject);
		return {
			output: 0,
			quota: { ...quotaOutput(subject, row), period_start: row.period_start?.toISOString() },
		};
	}),
};
