/**
 * One call's usage row and its charge, written together or not at all: the reservation settled
 * with the usage the row reports (the whole reservation when it is missing), or released when
 * the provider said it did nothing; and, when the provider reported more than the request could
 * use, the violation recorded and the token suspended in the same transaction; and the events a
 * Gateway trigger hands its workflow about this call, announced only once all of it is written.
 * Pure: the caller passes the connection.
 */
import { inTransaction, type Queryable } from '../db';
import { recordEvents, type EventTarget, type GatewayEvent } from '../gateway/events';
import { settleQuota, settleWithUsage, type QuotaSubject } from '../quota';
import { suspendForOverReport, type BoundViolation } from '../tokens';
import { insertUsageRows, type UsageRow } from './store';

export interface Charge {
	subject: QuotaSubject;
	reservationId: string;
	/** The provider refused the call: nothing is charged. */
	release?: boolean;
}

export interface CallRecord {
	charge?: Charge;
	violation?: BoundViolation;
	events?: { target: EventTarget; events: GatewayEvent[] };
}

export async function recordCall(
	db: Queryable,
	row: UsageRow,
	{ charge, violation, events }: CallRecord = {},
): Promise<void> {
	await inTransaction(db, async () => {
		await insertUsageRows(db, [row]);
		if (violation) await suspendForOverReport(db, violation);
		if (charge?.release)
			await settleQuota(db, charge.subject, charge.reservationId, {
				tokens: '0',
				usd: '0',
			});
		else if (charge) await settleWithUsage(db, charge.subject, charge.reservationId, row);
		if (events) await recordEvents(db, events.target, events.events);
	});
}
