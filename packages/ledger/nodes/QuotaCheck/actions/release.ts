import type { Operation } from '../../../common/operation';
import type { IExecuteFunctions } from 'n8n-workflow';

import type { QuotaSubject } from '../../../core/quota';
import { readInput, readSubject } from './common';
import { readReservationId, settle } from './settle';
import { perQuotaItem } from './write';

/** Settle with nothing used: for a request that failed before it reached the provider. */
export const operation: Operation<{ subject: QuotaSubject; reservationId: string }> = {
	option: {
		name: 'Release',
		value: 'release',
		action: 'Release a reservation',
		description: 'Give back a reservation whose request never reached the provider',
	},
	description: [],

	check(this: IExecuteFunctions, i: number) {
		return readInput(this.getNode(), i, () => ({
			subject: readSubject.call(this, i),
			reservationId: readReservationId.call(this, i),
		}));
	},

	write: perQuotaItem(async (db, input) => {
		return await settle(db, { ...input, actual: '0' }, 'Actual Amount');
	}),
};
