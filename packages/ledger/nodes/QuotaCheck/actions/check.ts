import type { Operation } from '../../../common/operation';
import type { IExecuteFunctions } from 'n8n-workflow';

import { checkQuota, inQuotaUnit, type QuotaSubject } from '../../../core/quota';
import {
	AmountTypeError,
	MixedUnitsError,
	missingQuota,
	quotaOutput,
	readAmount,
	readInput,
	readModel,
	readSubject,
	refusalOf,
} from './common';
import { perQuotaItem } from './write';

interface CheckInput {
	subject: QuotaSubject;
	amount: string;
	model: string | null;
	whenNoQuota: string;
}

/** Read-only: whether a request of this size would be allowed now. Reserves nothing. */
export const operation: Operation<CheckInput> = {
	option: {
		name: 'Check',
		value: 'check',
		action: 'Check whether a request fits the quota',
		description: 'Read-only: Allowed or Exhausted, nothing reserved',
	},
	description: [],

	check(this: IExecuteFunctions, i: number) {
		return readInput(this.getNode(), i, () => ({
			subject: readSubject.call(this, i),
			amount: readAmount.call(this, 'amount', 'Estimated Amount', i),
			model: readModel.call(this, i),
			whenNoQuota: this.getNodeParameter('whenNoQuota', i, 'allow') as string,
		}));
	},

	write: perQuotaItem(async (db, input) => {
		const row = await checkQuota(db, input.subject, inQuotaUnit(input.amount, input.model));
		if (!row) return missingQuota(input.subject, input.whenNoQuota);
		if (row.mixed_units) throw new MixedUnitsError(row.layers);
		if (row.amount_fits_type === false) throw new AmountTypeError('Estimated Amount', input.amount);
		// The usage shown is today's, without this request: nothing was reserved.
		const quota = {
			...quotaOutput(input.subject, { ...row, before_total: undefined }),
			allowed: row.allowed === true,
		};
		return row.allowed
			? { output: 0, quota }
			: { output: 1, quota: { ...quota, ...refusalOf(row) } };
	}),
};
