import type { Operation } from '../../../common/operation';
import { sweepExpired } from '../../../core/quota';
import { perQuotaItem } from './write';

/**
 * A sweep, for a schedule: every reservation past its time, on every quota, is charged in full
 * (its request never settled: a crash, a hang, lost usage) and stops holding quota, even when no
 * other request comes to do it. One output item per quota swept, none when nothing expired.
 */
export const operation: Operation<null> = {
	option: {
		name: 'Expire Reservations',
		value: 'expireReservations',
		action: 'Expire overdue reservations',
		description:
			'Charge every reservation past its time in full and stop it holding quota, on every quota (run it every minute)',
	},
	description: [],
	once: true,
	check: () => null,
	write: perQuotaItem(async (db) => ({
		output: 0,
		quota: {},
		items: await sweepExpired(db),
	})),
};
