/**
 * Per-subject quotas kept in Postgres (tables created by the ledger migrations). Every reserve and settle
 * is one SQL statement that first locks the quota row, so concurrent requests on any number of
 * n8n workers are serialized by Postgres itself; nothing is read in one statement and written
 * in another. Period boundaries come from keypilot_period_start() in the schema, which
 * every statement here uses. Pure: no n8n import; the database is anything with pg's `query`.
 */
import { compareDecimals, toDecimal } from '../../common/money';
import type { Queryable } from '../db';
import type { QuotaPeriod, QuotaSubject, QuotaType } from './parse';
import type { QuotaRow } from './state';
import {
	ALERTS_SQL,
	CHECK_SQL,
	RESERVATION_SQL,
	RESERVE_SQL,
	RESERVE_WHEN_CURRENT_SQL,
	RESET_SQL,
	SET_SQL,
	SETTLE_SQL,
	SWEEP_SQL,
} from './statements';

export * from './parse';
export * from './state';
export * from './statements';

/**
 * The hot statements are sent as named prepared statements: each connection plans them once,
 * which is most of their cost (their CTEs take longer to plan than to run).
 */
function prepared(name: string, text: string, values: unknown[]) {
	return { name: `keypilot_${name}`, text, values };
}

export interface QuotaAlert {
	subject_type: string;
	subject_id: string;
	kind: 'warning' | 'exhausted';
	quota_type: QuotaType;
	quota_used: string;
	quota_limit: string;
	period_start: Date;
}

export async function recordAlerts(db: Queryable): Promise<QuotaAlert[]> {
	const { rows } = await db.query<QuotaAlert>(ALERTS_SQL);
	return rows.sort((a, b) =>
		`${a.subject_type}/${a.subject_id}/${a.kind}`.localeCompare(
			`${b.subject_type}/${b.subject_id}/${b.kind}`,
		),
	);
}

export interface SweptQuota {
	subject_type: string;
	subject_id: string;
	quota_type: QuotaType;
	limit_amount: string;
	used: string;
	reserved: string;
	expired_count: number;
	expired_amount: string;
	/** The part charged as usage: what expired in the current period. */
	charged_amount: string;
}

/** Charges every reservation past its time in full and stops it holding quota, on every quota. */
export async function sweepExpired(db: Queryable): Promise<SweptQuota[]> {
	const { rows } = await db.query<SweptQuota>(SWEEP_SQL);
	return rows.sort((a, b) =>
		`${a.subject_type}/${a.subject_id}`.localeCompare(`${b.subject_type}/${b.subject_id}`),
	);
}

/**
 * Holds `amount` on the subject's quota if it fits. The common case (period current, nothing
 * expired, the amount fits) is one short UPDATE; anything else, the full statement.
 */
export async function reserveQuota(
	db: Queryable,
	subject: QuotaSubject,
	amount: string,
	reservationId: string,
	expiresInSeconds: number,
): Promise<QuotaRow | undefined> {
	const values = [subject.type, subject.id, amount, reservationId, expiresInSeconds];
	const fast = await db.query<QuotaRow>(
		prepared('reserve_current', RESERVE_WHEN_CURRENT_SQL, values),
	);
	if (fast.rows.length) return fast.rows[0];
	const { rows } = await db.query<QuotaRow>(prepared('reserve', RESERVE_SQL, values));
	return rows[0];
}

export async function settleQuota(
	db: Queryable,
	subject: QuotaSubject,
	reservationId: string,
	actual: string,
): Promise<QuotaRow | undefined> {
	const { rows } = await db.query<QuotaRow>(
		prepared('settle', SETTLE_SQL, [subject.type, subject.id, reservationId, actual]),
	);
	return rows[0];
}

export async function checkQuota(
	db: Queryable,
	subject: QuotaSubject,
	amount: string,
): Promise<QuotaRow | undefined> {
	const { rows } = await db.query<QuotaRow>(
		prepared('check', CHECK_SQL, [subject.type, subject.id, amount]),
	);
	return rows[0];
}

export async function setQuota(
	db: Queryable,
	subject: QuotaSubject,
	quota: { type: QuotaType; limit: string; period: QuotaPeriod; warningPercent: string | null },
): Promise<QuotaRow> {
	const { rows } = await db.query<QuotaRow>(SET_SQL, [
		subject.type,
		subject.id,
		quota.type,
		quota.limit,
		quota.period,
		quota.warningPercent,
	]);
	return rows[0];
}

export async function resetQuota(
	db: Queryable,
	subject: QuotaSubject,
): Promise<QuotaRow | undefined> {
	const { rows } = await db.query<QuotaRow>(RESET_SQL, [subject.type, subject.id]);
	return rows[0];
}

export interface LoggedUsage {
	total_tokens: number | null;
	cost_usd: string | null;
	usage_complete: boolean;
}

export interface UsageSettlement {
	/** False when the subject has no quota or the reservation was already settled or unknown. */
	settled: boolean;
	/** What was charged, in the quota's unit. */
	charged: string | null;
	reserved_amount: string | null;
	/** True when the usage was missing or incomplete (or unpriced on a USD quota): the whole reservation was charged. */
	charged_reservation: boolean;
	/** True when the provider reported more than was reserved: charged all the same. */
	over_reservation: boolean;
	row?: QuotaRow;
}

/**
 * Settles a reservation with a request's logged usage, in the caller's transaction: tokens for a
 * token quota, cost for a USD quota. Usage that is missing or incomplete, or a cost no price was
 * known for, charges the whole reservation: a metered request is never free.
 */
export async function settleWithUsage(
	db: Queryable,
	subject: QuotaSubject,
	reservationId: string,
	usage: LoggedUsage,
): Promise<UsageSettlement> {
	const { rows } = await db.query<{ quota_type: QuotaType; amount: string | null }>(
		RESERVATION_SQL,
		[subject.type, subject.id, reservationId],
	);
	const target = rows[0];
	if (!target?.amount) {
		return {
			settled: false,
			charged: null,
			reserved_amount: null,
			charged_reservation: false,
			over_reservation: false,
		};
	}
	const measured = target.quota_type === 'usd' ? usage.cost_usd : usage.total_tokens;
	const complete = usage.usage_complete && measured !== null && measured !== undefined;
	const charged = complete ? toDecimal(measured) : target.amount;
	const row = await settleQuota(db, subject, reservationId, charged);
	return {
		settled: row?.found === true,
		charged,
		reserved_amount: target.amount,
		charged_reservation: !complete,
		over_reservation: compareDecimals(charged, target.amount) > 0,
		row,
	};
}
