import type { IExecuteFunctions } from 'n8n-workflow';

import { resetQuota, type QuotaSubject } from '../../../core/quota';
import { NoQuotaError, quotaOutput, readInput, readSubject, type QuotaOperation } from './common';

export const operation: QuotaOperation<QuotaSubject> = {
	description: [],

	read(this: IExecuteFunctions, i: number) {
		return readInput(this.getNode(), i, () => readSubject.call(this, i));
	},

	async run(db, subject) {
		const row = await resetQuota(db, subject);
		if (!row) throw new NoQuotaError(subject);
		return {
			output: 0,
			quota: { ...quotaOutput(subject, row), period_start: row.period_start?.toISOString() },
		};
	},
};
