import type { IExecuteFunctions } from 'n8n-workflow';

import type { QuotaSubject } from '../../../core/quota';
import { readInput, readSubject, type QuotaOperation } from './common';
import { readReservationId, settle } from './settle';

/** Settle with nothing used: for a request that failed before it reached the provider. */
export const operation: QuotaOperation<{ subject: QuotaSubject; reservationId: string }> = {
	description: [],

	read(this: IExecuteFunctions, i: number) {
		return readInput(this.getNode(), i, () => ({
			subject: readSubject.call(this, i),
			reservationId: readReservationId.call(this, i),
		}));
	},

	async run(db, input) {
		return await settle(db, { ...input, actual: '0' }, 'Actual Amount');
	},
};
