import type { Operation } from '../../../common/operation';
import type { IExecuteFunctions } from 'n8n-workflow';

import { amountOut, checkQuota, describeLayers, type QuotaSubject } from '../../../core/quota';
import { NoQuotaError, quotaOutput, readInput, readModel, readSubject } from './common';
import { perQuotaItem } from './write';

export const operation: Operation<{ subject: QuotaSubject; model: string | null }> = {
	option: { name: 'Get Quota', value: 'get', action: 'Get a quota' },
	description: [],

	check(this: IExecuteFunctions, i: number) {
		return readInput(this.getNode(), i, () => ({
			subject: readSubject.call(this, i),
			model: readModel.call(this, i),
		}));
	},

	write: perQuotaItem(async (db, { subject, model }) => {
		const row = await checkQuota(db, subject, { model, tokens: '0', usd: '0' });
		if (!row) throw new NoQuotaError(subject);
		return {
			output: 0,
			quota: {
				...quotaOutput(subject, { ...row, before_total: undefined }),
				period: row.period,
				period_start: row.period_start?.toISOString(),
				warning_percent: row.warning_percent === null ? null : Number(row.warning_percent),
				// Reservations of this period that expired unsettled: already in quota_used, charged in full.
				expired_reservations: row.expired_count ?? 0,
				expired_amount: amountOut(row.quota_type, row.expired_amount ?? '0'),
				layers: describeLayers(row.layers),
			},
		};
	}),
};
