import type { Operation } from '../../../common/operation';
import { randomUUID } from 'node:crypto';

import type { IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { inQuotaUnit, reserveQuota, type QuotaSubject } from '../../../core/quota';
import {
	amountField,
	AmountTypeError,
	MixedUnitsError,
	missingQuota,
	quotaOutput,
	readAmount,
	readInput,
	readModel,
	readSubject,
	refusalOf,
	showFor,
} from './common';
import { perQuotaItem } from './write';

interface ReserveInput {
	subject: QuotaSubject;
	amount: string;
	model: string | null;
	expiresIn: number;
	whenNoQuota: string;
}

export const operation: Operation<ReserveInput> = {
	option: {
		name: 'Reserve',
		value: 'reserve',
		action: 'Reserve quota for a request',
		description:
			'Atomically hold the estimated amount if it fits: Allowed or Exhausted. Settle it after the call.',
	},
	description: [
		amountField(
			'amount',
			'Estimated Amount',
			['reserve', 'check'],
			'Tokens or USD this request is expected to use, such as its max_tokens. Settle replaces it with the actual amount.',
		),
		{
			displayName: 'Reservation Expires After (Seconds)',
			name: 'expiresIn',
			type: 'number',
			default: 300,
			typeOptions: { minValue: 1 },
			description:
				'A reservation never settled (a crashed execution) stops holding quota after this long',
			displayOptions: showFor(['reserve']),
		},
	],

	check(this: IExecuteFunctions, i: number) {
		return readInput(this.getNode(), i, () => {
			const subject = readSubject.call(this, i);
			const amount = readAmount.call(this, 'amount', 'Estimated Amount', i);
			const expiresIn = this.getNodeParameter('expiresIn', i, 300) as number;
			if (!Number.isFinite(expiresIn) || expiresIn <= 0) {
				throw new NodeOperationError(
					this.getNode(),
					`"Reservation Expires After (Seconds)" must be more than 0, got ${expiresIn} (item ${i})`,
					{ itemIndex: i },
				);
			}
			const whenNoQuota = this.getNodeParameter('whenNoQuota', i, 'allow') as string;
			return { subject, amount, expiresIn, whenNoQuota, model: readModel.call(this, i) };
		});
	},

	write: perQuotaItem(async (db, input) => {
		const row = await reserveQuota(
			db,
			input.subject,
			inQuotaUnit(input.amount, input.model),
			randomUUID(),
			input.expiresIn,
		);
		if (!row) return missingQuota(input.subject, input.whenNoQuota);
		if (row.mixed_units) throw new MixedUnitsError(row.layers);
		if (row.amount_fits_type === false) throw new AmountTypeError('Estimated Amount', input.amount);
		const quota = { ...quotaOutput(input.subject, row), allowed: row.allowed === true };
		if (row.allowed) return { output: 0, quota: { ...quota, reservation_id: row.reservation_id } };
		const message = `Quota exhausted${quota.scope ? ` on ${quota.scope}` : ''}: ${String(quota.quota_used)} of ${String(quota.quota_limit)} ${row.quota_type === 'usd' ? 'USD' : 'tokens'} used, ${input.amount} more requested`;
		return { output: 1, quota: { ...quota, ...refusalOf(row, message) } };
	}),
};
