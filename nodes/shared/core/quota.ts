/**
 * Per-subject quotas kept in Postgres (tables in workflows/schema.sql). Every reserve and settle
 * is one SQL statement that first locks the quota row, so concurrent requests on any number of
 * n8n workers are serialized by Postgres itself; nothing is read in one statement and written
 * in another. Period boundaries come from keypilot_period_start() in workflows/schema.sql, which
 * the alert workflow uses too. Pure: no n8n import; the database is anything with pg's `query`.
 */
import { addDecimals, compareDecimals, multiplyDecimal, shiftDecimal, toDecimal } from './money';

export interface Queryable {
	query<R = Record<string, unknown>>(text: string, values?: unknown[]): Promise<{ rows: R[] }>;
	query<R = Record<string, unknown>>(config: {
		name: string;
		text: string;
		values: unknown[];
	}): Promise<{ rows: R[] }>;
}

/**
 * The hot statements are sent as named prepared statements: each connection plans them once,
 * which is most of their cost (their CTEs take longer to plan than to run).
 */
function prepared(name: string, text: string, values: unknown[]) {
	return { name: `keypilot_${name}`, text, values };
}

export const QUOTA_TYPES = ['tokens', 'usd'] as const;
export type QuotaType = (typeof QUOTA_TYPES)[number];
export const QUOTA_PERIODS = ['none', 'daily', 'weekly', 'monthly'] as const;
export type QuotaPeriod = (typeof QUOTA_PERIODS)[number];

export interface QuotaSubject {
	/** key_id, key_hash, token_hash, project, account ... */
	type: string;
	id: string;
}

export class QuotaInputError extends Error {
	constructor(
		readonly field: string,
		message: string,
	) {
		super(message);
		this.name = 'QuotaInputError';
	}
}

/** The largest limit or amount accepted: far above any real budget, far below NUMERIC's range. */
export const MAX_QUOTA_AMOUNT = '1000000000000000';

/**
 * An amount for a quota of the given type: tokens are whole numbers, USD exact decimals.
 * Negative, NaN, empty and non-numeric input is refused with the field's name.
 */
export function parseQuotaAmount(type: QuotaType, value: unknown, field: string): string {
	const fail = (expected: string): never => {
		throw new QuotaInputError(
			field,
			`"${field}" must be ${expected}, got ${JSON.stringify(value ?? null)}`,
		);
	};
	if (typeof value !== 'string' && typeof value !== 'number') fail('a number');
	if (typeof value === 'string' && value.trim() === '') fail('a number');
	let amount: string;
	try {
		amount = toDecimal(value as string | number);
	} catch {
		return fail(type === 'tokens' ? 'a whole number of tokens' : 'a decimal amount in USD');
	}
	if (compareDecimals(amount, '0') < 0) fail('zero or more');
	if (compareDecimals(amount, MAX_QUOTA_AMOUNT) > 0) fail(`at most ${MAX_QUOTA_AMOUNT}`);
	if (type === 'tokens' && amount.includes('.')) fail('a whole number of tokens');
	if ((amount.split('.')[1] ?? '').length > 18) fail('a decimal with at most 18 decimal places');
	return amount;
}

export function parseQuotaType(value: unknown): QuotaType {
	if (!QUOTA_TYPES.includes(value as QuotaType)) {
		throw new QuotaInputError(
			'Quota Type',
			`"Quota Type" must be tokens or usd, got ${JSON.stringify(value ?? null)}`,
		);
	}
	return value as QuotaType;
}

export function parseQuotaPeriod(value: unknown): QuotaPeriod {
	if (!QUOTA_PERIODS.includes(value as QuotaPeriod)) {
		throw new QuotaInputError(
			'Period',
			`"Period" must be one of ${QUOTA_PERIODS.join(', ')}, got ${JSON.stringify(value ?? null)}`,
		);
	}
	return value as QuotaPeriod;
}

/** A warning threshold in percent of the limit: above 0, at most 100; empty means none. */
export function parseWarningPercent(value: unknown): string | null {
	if (value === undefined || value === null || value === '' || value === 0) return null;
	let percent: string;
	try {
		percent = toDecimal(value as string | number);
	} catch {
		percent = '';
	}
	if (!percent || compareDecimals(percent, '0') <= 0 || compareDecimals(percent, '100') > 0) {
		throw new QuotaInputError(
			'Warning Threshold',
			`"Warning Threshold" must be a percentage above 0 and at most 100, got ${JSON.stringify(value)}`,
		);
	}
	return percent;
}

export function parseSubject(type: unknown, id: unknown): QuotaSubject {
	const subjectType = typeof type === 'string' ? type.trim() : '';
	const subjectId = typeof id === 'string' ? id.trim() : typeof id === 'number' ? String(id) : '';
	if (!subjectType) throw new QuotaInputError('Subject Type', '"Subject Type" is required');
	if (!subjectId)
		throw new QuotaInputError('Key', '"Key" is required: the key (or subject) the quota is for');
	return { type: subjectType, id: subjectId };
}

/**
 * The quota row, locked, with the period it is in now. Every writing statement starts here, so
 * the row lock is always taken before any reservation row: no two statements wait on each other
 * in opposite order.
 */
const LOCKED_QUOTA = `
	q AS (
		SELECT subject_type, subject_id, quota_type, limit_amount, warning_percent, used, reserved, period_start,
		       keypilot_period_start(period, period_start) AS current_start
		  FROM llm_quotas
		 WHERE subject_type = $1 AND subject_id = $2
		   FOR UPDATE
	)`;

/**
 * Fail closed: a reservation past its time that nobody settled (a crash, a kill, a hang, lost
 * usage) is charged in full. It stops holding quota and its whole amount becomes usage of the
 * period it was made in, with an "unsettled" row in llm_usage_log (usage_complete false). A late
 * Settle still replaces the charge with the provider's count. Long-expired ones are removed.
 */
const EXPIRE_RESERVATIONS = (keep: string) => `
	expired AS (
		UPDATE llm_quota_reservations r SET status = 'expired'
		  FROM q
		 WHERE r.subject_type = q.subject_type AND r.subject_id = q.subject_id
		   AND r.status = 'held' AND r.expires_at <= now() ${keep}
		RETURNING r.reservation_id, r.amount, r.expires_at, (r.created_at >= q.current_start) AS counts
	),
	unsettled AS (
		INSERT INTO llm_usage_log (logged_at, provider, api_flavor, request_id, key_hash, key_id,
		                           total_tokens, cost_usd, usage_complete, error_message)
		SELECT e.expires_at, 'keypilot', 'unsettled_reservation', 'reservation:' || e.reservation_id,
		       CASE WHEN q.subject_type IN ('key_hash', 'token_hash') THEN q.subject_id END,
		       CASE WHEN q.subject_type = 'key_id' THEN q.subject_id END,
		       CASE WHEN q.quota_type = 'tokens' THEN e.amount::bigint END,
		       CASE WHEN q.quota_type = 'usd' THEN e.amount END,
		       false, 'Reservation expired before it was settled: charged in full'
		  FROM expired e, q
		ON CONFLICT (provider, request_id) WHERE request_id IS NOT NULL DO NOTHING
	),
	pruned AS (
		DELETE FROM llm_quota_reservations r USING q
		 WHERE r.subject_type = q.subject_type AND r.subject_id = q.subject_id
		   AND r.status = 'expired' AND r.expires_at <= now() - interval '7 days'
	)`;

/** Usage in the current period: reset on rollover, plus reservations that just expired unsettled. */
const USED_NOW = `CASE WHEN q.current_start > q.period_start THEN 0 ELSE q.used END
		         + (SELECT COALESCE(sum(amount), 0) FROM expired WHERE counts)`;

const RESULT_COLUMNS = `t.quota_type, t.limit_amount::text AS limit_amount, t.used::text AS used,
	t.reserved::text AS reserved, t.warning_percent::text AS warning_percent`;

/**
 * Reserve: $1 subject type, $2 subject id, $3 amount, $4 reservation id, $5 seconds until it
 * expires. Rolls the period over, releases expired reservations and, if the amount fits (or
 * the limit is 0, unlimited) and is whole for a token quota, holds it: all in one statement
 * under the quota row's lock.
 */
export const RESERVE_SQL = `
WITH ${LOCKED_QUOTA},
	${EXPIRE_RESERVATIONS('')},
	state AS (
		SELECT q.*,
		       ${USED_NOW} AS used_now,
		       GREATEST(0, q.reserved - (SELECT COALESCE(sum(amount), 0) FROM expired)) AS reserved_now
		  FROM q
	),
	decision AS (
		SELECT s.*,
		       (s.quota_type <> 'tokens' OR $3::numeric = trunc($3::numeric)) AS amount_fits_type,
		       (s.quota_type <> 'tokens' OR $3::numeric = trunc($3::numeric))
		         AND (s.limit_amount = 0 OR s.used_now + s.reserved_now + $3::numeric <= s.limit_amount) AS allowed
		  FROM state s
	),
	updated AS (
		UPDATE llm_quotas t
		   SET used = d.used_now,
		       reserved = d.reserved_now + CASE WHEN d.allowed THEN $3::numeric ELSE 0 END,
		       period_start = d.current_start,
		       updated_at = now()
		  FROM decision d
		 WHERE t.subject_type = d.subject_type AND t.subject_id = d.subject_id
		RETURNING ${RESULT_COLUMNS}, d.allowed, d.amount_fits_type, (d.used_now + d.reserved_now)::text AS before_total
	),
	held AS (
		INSERT INTO llm_quota_reservations (reservation_id, subject_type, subject_id, amount, expires_at)
		SELECT $4::uuid, $1, $2, $3::numeric, now() + make_interval(secs => $5::double precision)
		  FROM updated u WHERE u.allowed
		RETURNING reservation_id::text
	)
SELECT u.*, (SELECT reservation_id FROM held) AS reservation_id FROM updated u`;

/**
 * Settle: $1 subject type, $2 subject id, $3 reservation id, $4 actual amount. Replaces the
 * reservation with the actual usage (a fractional amount for a token quota settles nothing); more
 * than was reserved is charged too (`reserved_amount` lets the caller flag it). Usage counts in
 * the period the reservation was made in. A reservation that expired and was charged in full has
 * that charge replaced by the actual usage. An unknown or already settled reservation changes
 * nothing but housekeeping.
 */
export const SETTLE_SQL = `
WITH ${LOCKED_QUOTA},
	settled AS (
		DELETE FROM llm_quota_reservations r USING q
		 WHERE r.reservation_id = $3::uuid AND r.subject_type = q.subject_type AND r.subject_id = q.subject_id
		   AND (q.quota_type <> 'tokens' OR $4::numeric = trunc($4::numeric))
		RETURNING r.amount, r.status, r.created_at
	),
	-- A reservation that expired in this period was charged in full: its settlement replaces that.
	charged AS (
		SELECT COALESCE(sum(s.amount), 0) AS amount FROM settled s, q
		 WHERE s.status = 'expired' AND s.created_at >= q.current_start
	),
	-- ...and its "unsettled" usage row goes: the request's own row is logged with its usage.
	resolved AS (
		DELETE FROM llm_usage_log l
		 WHERE l.provider = 'keypilot' AND l.request_id = 'reservation:' || $3
		   AND EXISTS (SELECT 1 FROM settled WHERE status = 'expired')
	),
	${EXPIRE_RESERVATIONS('AND r.reservation_id <> $3::uuid')},
	state AS (
		SELECT q.*,
		       ${USED_NOW} - (SELECT amount FROM charged) AS used_now,
		       GREATEST(0, q.reserved
		           - (SELECT COALESCE(sum(amount), 0) FROM expired)
		           - (SELECT COALESCE(sum(amount), 0) FROM settled WHERE status = 'held')) AS reserved_now,
		       EXISTS (SELECT 1 FROM settled) AS found,
		       (q.quota_type <> 'tokens' OR $4::numeric = trunc($4::numeric)) AS amount_fits_type,
		       EXISTS (SELECT 1 FROM settled WHERE created_at >= q.current_start) AS counts
		  FROM q
	),
	updated AS (
		UPDATE llm_quotas t
		   SET used = s.used_now + CASE WHEN s.counts THEN $4::numeric ELSE 0 END,
		       reserved = s.reserved_now,
		       period_start = s.current_start,
		       updated_at = now()
		  FROM state s
		 WHERE t.subject_type = s.subject_type AND t.subject_id = s.subject_id
		RETURNING ${RESULT_COLUMNS}, s.found, s.counts, s.amount_fits_type,
		          (s.used_now + s.reserved_now)::text AS before_total
	)
SELECT u.*, (SELECT amount::text FROM settled) AS reserved_amount FROM updated u`;

/**
 * A quota's state now, read-only, for the quotas matching `where` (on llm_quotas t): the period
 * rolled over, reservations past their time no longer held and, if made in this period, counted
 * as used (as Reserve charges them). Check and Get Alerts read the same state Reserve decides on.
 */
const CURRENT_STATE = (where: string) => `
q AS (
	SELECT t.*, keypilot_period_start(t.period, t.period_start) AS current_start
	  FROM llm_quotas t WHERE ${where}
),
lapsed AS (
	SELECT r.subject_type, r.subject_id, COALESCE(sum(r.amount), 0) AS amount,
	       COALESCE(sum(r.amount) FILTER (WHERE r.created_at >= q.current_start), 0) AS charged
	  FROM llm_quota_reservations r
	  JOIN q ON r.subject_type = q.subject_type AND r.subject_id = q.subject_id
	 WHERE r.status = 'held' AND r.expires_at <= now()
	 GROUP BY r.subject_type, r.subject_id
),
state AS (
	SELECT q.*,
	       CASE WHEN q.current_start > q.period_start THEN 0 ELSE q.used END
	         + COALESCE(l.charged, 0) AS used_now,
	       GREATEST(0, q.reserved - COALESCE(l.amount, 0)) AS reserved_now
	  FROM q LEFT JOIN lapsed l ON l.subject_type = q.subject_type AND l.subject_id = q.subject_id
)`;

/** Check: $1 subject type, $2 subject id, $3 amount. Read-only: what Reserve would decide now. */
export const CHECK_SQL = `
WITH ${CURRENT_STATE('t.subject_type = $1 AND t.subject_id = $2')},
unsettled AS (
	SELECT count(*) AS count, COALESCE(sum(r.amount), 0) AS amount
	  FROM llm_quota_reservations r, q
	 WHERE r.subject_type = q.subject_type AND r.subject_id = q.subject_id
	   AND r.expires_at <= now() AND r.created_at >= q.current_start
)
SELECT s.quota_type, s.limit_amount::text AS limit_amount, s.used_now::text AS used,
       s.reserved_now::text AS reserved, s.warning_percent::text AS warning_percent, s.period,
       s.current_start AS period_start,
       (s.quota_type <> 'tokens' OR $3::numeric = trunc($3::numeric)) AS amount_fits_type,
       (s.quota_type <> 'tokens' OR $3::numeric = trunc($3::numeric))
         AND (s.limit_amount = 0 OR s.used_now + s.reserved_now + $3::numeric <= s.limit_amount) AS allowed,
       (s.used_now + s.reserved_now)::text AS before_total,
       (SELECT count FROM unsettled)::int AS expired_count,
       (SELECT amount FROM unsettled)::text AS expired_amount
  FROM state s`;

/**
 * Get Alerts: every limited quota whose usage now (settled plus held, as Check reads it) crossed
 * its warning threshold or its limit in the current period and was not alerted for it yet. The
 * alert is recorded and returned by the same statement, so it is told once per period even when
 * two runs overlap.
 */
export const ALERTS_SQL = `
WITH ${CURRENT_STATE('t.limit_amount > 0')},
crossing AS (
	SELECT s.subject_type, s.subject_id, s.quota_type, s.limit_amount, s.current_start,
	       s.used_now + s.reserved_now AS total,
	       CASE WHEN s.used_now + s.reserved_now >= s.limit_amount THEN 'exhausted' ELSE 'warning' END AS kind
	  FROM state s
	 WHERE s.used_now + s.reserved_now >= s.limit_amount
	    OR (s.warning_percent IS NOT NULL
	        AND s.used_now + s.reserved_now >= s.limit_amount * s.warning_percent / 100)
)
INSERT INTO llm_quota_alerts (subject_type, subject_id, kind, period_start, quota_used, quota_limit, quota_type)
SELECT subject_type, subject_id, kind, current_start, total, limit_amount, quota_type FROM crossing
ON CONFLICT DO NOTHING
RETURNING subject_type, subject_id, kind, quota_type, quota_used::text AS quota_used,
          quota_limit::text AS quota_limit, period_start`;

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

/**
 * Set: $1 type, $2 id, $3 quota type, $4 limit, $5 period, $6 warning percent. The limit can be
 * raised or lowered at any time: reservations in flight are kept. Changing the quota type
 * starts counting from zero and drops reservations held in the old unit.
 */
export const SET_SQL = `
WITH dropped AS (
	DELETE FROM llm_quota_reservations r
	 USING llm_quotas t
	 WHERE t.subject_type = $1 AND t.subject_id = $2 AND t.quota_type <> $3
	   AND r.subject_type = t.subject_type AND r.subject_id = t.subject_id
)
INSERT INTO llm_quotas AS t (subject_type, subject_id, quota_type, limit_amount, period, warning_percent, period_start)
VALUES ($1, $2, $3, $4::numeric, $5, $6::numeric, keypilot_period_start($5, now()))
ON CONFLICT (subject_type, subject_id) DO UPDATE SET
	limit_amount = EXCLUDED.limit_amount,
	warning_percent = EXCLUDED.warning_percent,
	period = EXCLUDED.period,
	quota_type = EXCLUDED.quota_type,
	period_start = CASE WHEN t.period = EXCLUDED.period AND t.quota_type = EXCLUDED.quota_type
	                    THEN t.period_start ELSE EXCLUDED.period_start END,
	used = CASE WHEN t.quota_type = EXCLUDED.quota_type THEN t.used ELSE 0 END,
	reserved = CASE WHEN t.quota_type = EXCLUDED.quota_type THEN t.reserved ELSE 0 END,
	updated_at = now()
RETURNING t.quota_type, t.limit_amount::text AS limit_amount, t.used::text AS used,
	t.reserved::text AS reserved, t.warning_percent::text AS warning_percent, t.period, t.period_start`;

/** Reset: usage starts again from now; reservations in flight keep holding their amounts. */
export const RESET_SQL = `
UPDATE llm_quotas t SET used = 0, period_start = now(), updated_at = now()
 WHERE t.subject_type = $1 AND t.subject_id = $2
RETURNING t.quota_type, t.limit_amount::text AS limit_amount, t.used::text AS used,
	t.reserved::text AS reserved, t.warning_percent::text AS warning_percent, t.period, t.period_start`;

export interface QuotaRow {
	quota_type: QuotaType;
	limit_amount: string;
	used: string;
	reserved: string;
	warning_percent: string | null;
	before_total?: string;
	allowed?: boolean;
	/** False when a token quota was given a fractional amount: nothing was reserved or settled. */
	amount_fits_type?: boolean;
	found?: boolean;
	counts?: boolean;
	reservation_id?: string | null;
	/** Settle: the amount the reservation held, when it was found. */
	reserved_amount?: string | null;
	/** Check and Get: reservations of this period that expired unsettled and were charged in full. */
	expired_count?: number;
	expired_amount?: string;
	period?: string;
	period_start?: Date;
}

export const QUOTA_EXHAUSTED = 'API_KEY_QUOTA_EXHAUSTED';

/** Tokens travel as numbers, USD as exact decimal strings. */
export function amountOut(type: QuotaType, value: string): number | string {
	return type === 'tokens' ? Number(value) : toDecimal(value);
}

export interface QuotaState {
	quota_type: QuotaType;
	/** 0 means unlimited. */
	quota_limit: number | string;
	/** Settled usage plus amounts reserved by requests in flight. */
	quota_used: number | string;
	/** null when unlimited. */
	remaining: number | string | null;
	/** True when this request took usage across the warning threshold. */
	warning: boolean;
	headers: { 'X-Quota-Used': string; 'X-Quota-Limit': string };
}

/** What an item carries after a quota operation, from the row the statement returned. */
export function describeQuota(row: QuotaRow): QuotaState {
	const type = row.quota_type;
	const limit = toDecimal(row.limit_amount);
	const total = addDecimals(row.used, row.reserved);
	const unlimited = compareDecimals(limit, '0') === 0;
	const left = addDecimals(limit, `-${total}`);
	const remaining = unlimited ? null : compareDecimals(left, '0') < 0 ? '0' : left;
	let warning = false;
	if (!unlimited && row.warning_percent && row.before_total !== undefined) {
		const threshold = shiftDecimal(multiplyDecimal(limit, row.warning_percent), -2);
		warning =
			compareDecimals(row.before_total, threshold) < 0 && compareDecimals(total, threshold) >= 0;
	}
	return {
		quota_type: type,
		quota_limit: amountOut(type, limit),
		quota_used: amountOut(type, total),
		remaining: remaining === null ? null : amountOut(type, remaining),
		warning,
		headers: { 'X-Quota-Used': total, 'X-Quota-Limit': unlimited ? 'unlimited' : limit },
	};
}

export async function reserveQuota(
	db: Queryable,
	subject: QuotaSubject,
	amount: string,
	reservationId: string,
	expiresInSeconds: number,
): Promise<QuotaRow | undefined> {
	const { rows } = await db.query<QuotaRow>(
		prepared('reserve', RESERVE_SQL, [
			subject.type,
			subject.id,
			amount,
			reservationId,
			expiresInSeconds,
		]),
	);
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

/** The quota's type and what a reservation holds, read under the quota row's lock. */
const RESERVATION_SQL = `
SELECT q.quota_type, r.amount::text AS amount
  FROM llm_quotas q
  LEFT JOIN llm_quota_reservations r
    ON r.reservation_id = $3::uuid AND r.subject_type = q.subject_type AND r.subject_id = q.subject_id
 WHERE q.subject_type = $1 AND q.subject_id = $2
   FOR UPDATE OF q`;

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
