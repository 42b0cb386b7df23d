import type { Operation } from '../../../common/operation';
import type { IExecuteFunctions } from 'n8n-workflow';

import { QuotaInputError, settleQuota, type QuotaSubject } from '../../../core/quota';
import {
	amountField,
	AmountTypeError,
	NoQuotaError,
	quotaOutput,
	readAmount,
	readInput,
	readSubject,
	showFor,
} from './common';
import { perQuotaItem } from './write';

interface SettleInput {
	subject: QuotaSubject;
	reservationId: string;
	actual: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const reservationField = {
	displayName: 'Reservation ID',
	name: 'reservationId',
	type: 'string' as const,
	default: '',
	required: true,
	placeholder: "={{ $('Quota Check').item.json.quota.reservation_id }}",
	description: 'The reservation_id that Reserve returned for this request',
	displayOptions: showFor(['settle', 'release']),
};

export function readReservationId(this: IExecuteFunctions, i: number): string {
	const value = String(this.getNodeParameter('reservationId', i, '')).trim();
	if (!UUID.test(value)) {
		throw new QuotaInputError(
			'Reservation ID',
			`"Reservation ID" must be the reservation_id returned by Reserve (a UUID), got ${JSON.stringify(value)}`,
		);
	}
	return value;
}

export const operation: Operation<SettleInput> = {
	option: {
		name: 'Settle',
		value: 'settle',
		action: 'Settle a reservation',
		description: 'Replace a reservation with the amount the request really used',
	},
	description: [
		reservationField,
		amountField(
			'actualAmount',
			'Actual Amount',
			['settle'],
			"The tokens or cost the request really used, such as the Usage Logger's total_tokens or cost_usd",
		),
	],

	check(this: IExecuteFunctions, i: number) {
		return readInput(this.getNode(), i, () => ({
			subject: readSubject.call(this, i),
			reservationId: readReservationId.call(this, i),
			actual: readAmount.call(this, 'actualAmount', 'Actual Amount', i),
		}));
	},

	write: perQuotaItem(async (db, input) => {
		return await settle(db, input, 'Actual Amount');
	}),
};

export async function settle(
	db: Parameters<typeof settleQuota>[0],
	input: SettleInput,
	label: string,
) {
	const row = await settleQuota(db, input.subject, input.reservationId, {
		tokens: input.actual,
		usd: input.actual,
	});
	if (!row) throw new NoQuotaError(input.subject);
	if (row.amount_fits_type === false) throw new AmountTypeError(label, input.actual);
	return {
		output: 0 as const,
		quota: {
			...quotaOutput(input.subject, row),
			reservation_id: input.reservationId,
			settled: row.found === true,
			counted: row.counts === true,
			...(row.found
				? {}
				: {
						message: 'This reservation was already settled or never existed: nothing was counted',
					}),
		},
	};
}
