/**
 * The quota statements. Each writing statement locks the quota row first and does all its work
 * in one statement, so concurrent requests on any number of n8n workers are serialized by
 * Postgres itself.
 */

/**
 * The quota row a subject spends, as (type, id): its own, or through llm_quota_aliases the row of
 * the key it was rotated from (both keys then share one budget). `type` and `id` are SQL
 * expressions, usually the statement's parameters. Every statement that finds a quota by its
 * subject resolves it here.
 */
export const QUOTA_SUBJECT = (type: string, id: string) => `
		SELECT COALESCE(a.target_type, ${type}::text) AS type, COALESCE(a.target_id, ${id}::text) AS id
		  FROM (SELECT 1) one
		  LEFT JOIN llm_quota_aliases a ON a.subject_type = ${type}::text AND a.subject_id = ${id}::text`;

const SUBJECT_ROW = (type: string, id: string, table = '') =>
	`(${table}subject_type, ${table}subject_id) = (${QUOTA_SUBJECT(type, id)})`;

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
		 WHERE ${SUBJECT_ROW('$1', '$2')}
		   FOR UPDATE
	)`;

/**
 * The "unsettled" usage row of each reservation in `expired e` that ran out, charged in full:
 * usage_complete false and the reason, in the quota's unit. `from` joins each to its quota `q`.
 */
const UNSETTLED_ROWS = (from: string) => `
		INSERT INTO llm_usage_log (logged_at, provider, api_flavor, request_id, key_hash, key_id,
		                           total_tokens, cost_usd, usage_complete, error_message)
		SELECT e.expires_at, 'keypilot', 'unsettled_reservation', 'reservation:' || e.reservation_id,
		       CASE WHEN q.subject_type IN ('key_hash', 'token_hash') THEN q.subject_id END,
		       CASE WHEN q.subject_type = 'key_id' THEN q.subject_id END,
		       CASE WHEN q.quota_type = 'tokens' THEN e.amount::bigint END,
		       CASE WHEN q.quota_type = 'usd' THEN e.amount END,
		       false, 'Reservation expired before it was settled: charged in full'
		  FROM ${from}
		ON CONFLICT (provider, request_id) WHERE request_id IS NOT NULL DO NOTHING`;

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
	unsettled AS (${UNSETTLED_ROWS('expired e, q')}),
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
		SELECT $4::uuid, q.subject_type, q.subject_id, $3::numeric, now() + make_interval(secs => $5::double precision)
		  FROM updated u, q WHERE u.allowed
		RETURNING reservation_id::text
	)
SELECT u.*, (SELECT reservation_id FROM held) AS reservation_id FROM updated u`;

/**
 * Reserve's common case, same parameters as RESERVE_SQL: the period is current, no reservation of
 * the subject is past its expiry, and the amount fits (and is whole for a token quota). Then
 * holding it is one UPDATE of the quota row, whose conditions Postgres checks again on the row as
 * it is once its lock is granted, so a queue on a hot key waits for the shortest possible lock.
 * No row back means "not the common case": RESERVE_SQL decides (refusal, roll-over, expiry). An
 * expiry that falls while this waits for the lock is left for the next statement to charge; until
 * then the reservation still holds its amount, so nothing is admitted that would not fit.
 */
export const RESERVE_WHEN_CURRENT_SQL = `
WITH updated AS (
	UPDATE llm_quotas t
	   SET reserved = t.reserved + $3::numeric, updated_at = now()
	 WHERE ${SUBJECT_ROW('$1', '$2', 't.')}
	   AND keypilot_period_start(t.period, t.period_start) = t.period_start
	   AND (t.quota_type <> 'tokens' OR $3::numeric = trunc($3::numeric))
	   AND (t.limit_amount = 0 OR t.used + t.reserved + $3::numeric <= t.limit_amount)
	   AND NOT EXISTS (
		SELECT 1 FROM llm_quota_reservations r
		 WHERE r.subject_type = t.subject_type AND r.subject_id = t.subject_id
		   AND r.status = 'held' AND r.expires_at <= now())
	RETURNING ${RESULT_COLUMNS}, true AS allowed, true AS amount_fits_type,
	          (t.used + t.reserved - $3::numeric)::text AS before_total, t.subject_type, t.subject_id
),
held AS (
	INSERT INTO llm_quota_reservations (reservation_id, subject_type, subject_id, amount, expires_at)
	SELECT $4::uuid, u.subject_type, u.subject_id, $3::numeric, now() + make_interval(secs => $5::double precision)
	  FROM updated u
	RETURNING reservation_id::text
)
SELECT u.quota_type, u.limit_amount, u.used, u.reserved, u.warning_percent, u.allowed,
       u.amount_fits_type, u.before_total, (SELECT reservation_id FROM held) AS reservation_id
  FROM updated u`;

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
WITH ${CURRENT_STATE(SUBJECT_ROW('$1', '$2', 't.'))},
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

/**
 * Set: $1 type, $2 id, $3 quota type, $4 limit, $5 period, $6 warning percent. The limit can be
 * raised or lowered at any time: reservations in flight are kept. Changing the quota type
 * starts counting from zero and drops reservations held in the old unit.
 */
export const SET_SQL = `
WITH subject AS (${QUOTA_SUBJECT('$1', '$2')}),
dropped AS (
	DELETE FROM llm_quota_reservations r
	 USING llm_quotas t, subject s
	 WHERE t.subject_type = s.type AND t.subject_id = s.id AND t.quota_type <> $3
	   AND r.subject_type = t.subject_type AND r.subject_id = t.subject_id
)
INSERT INTO llm_quotas AS t (subject_type, subject_id, quota_type, limit_amount, period, warning_percent, period_start)
SELECT s.type, s.id, $3, $4::numeric, $5, $6::numeric, keypilot_period_start($5, now()) FROM subject s
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
 WHERE ${SUBJECT_ROW('$1', '$2', 't.')}
RETURNING t.quota_type, t.limit_amount::text AS limit_amount, t.used::text AS used,
	t.reserved::text AS reserved, t.warning_percent::text AS warning_percent, t.period, t.period_start`;

/** The quota's type and what a reservation holds, read under the quota row's lock. */
export const RESERVATION_SQL = `
SELECT q.quota_type, r.amount::text AS amount
  FROM llm_quotas q
  LEFT JOIN llm_quota_reservations r
    ON r.reservation_id = $3::uuid AND r.subject_type = q.subject_type AND r.subject_id = q.subject_id
 WHERE ${SUBJECT_ROW('$1', '$2', 'q.')}
   FOR UPDATE OF q`;

/**
 * Sweep: every reservation past its time, on every quota, charged in full and no longer held,
 * whether or not another request comes (Reserve and Settle do the same for their own quota). The
 * quota rows are locked in one fixed order, as every other statement locks only its own row
 * first, so the sweep never deadlocks with them. One row per quota swept.
 */
export const SWEEP_SQL = `
WITH q AS (
	SELECT t.subject_type, t.subject_id, t.quota_type, t.used, t.reserved, t.period_start,
	       keypilot_period_start(t.period, t.period_start) AS current_start
	  FROM llm_quotas t
	 WHERE EXISTS (
		SELECT 1 FROM llm_quota_reservations r
		 WHERE r.subject_type = t.subject_type AND r.subject_id = t.subject_id
		   AND r.status = 'held' AND r.expires_at <= now())
	 ORDER BY t.subject_type, t.subject_id
	   FOR UPDATE
),
expired AS (
	UPDATE llm_quota_reservations r SET status = 'expired'
	  FROM q
	 WHERE r.subject_type = q.subject_type AND r.subject_id = q.subject_id
	   AND r.status = 'held' AND r.expires_at <= now()
	RETURNING r.reservation_id, r.subject_type, r.subject_id, r.amount, r.expires_at,
	          (r.created_at >= q.current_start) AS counts
),
unsettled AS (${UNSETTLED_ROWS(
	'expired e JOIN q ON q.subject_type = e.subject_type AND q.subject_id = e.subject_id',
)}),
swept AS (
	SELECT subject_type, subject_id, count(*) AS count, sum(amount) AS amount,
	       COALESCE(sum(amount) FILTER (WHERE counts), 0) AS charged
	  FROM expired GROUP BY subject_type, subject_id
)
UPDATE llm_quotas t
   SET used = CASE WHEN q.current_start > q.period_start THEN 0 ELSE q.used END + x.charged,
       reserved = GREATEST(0, q.reserved - x.amount),
       period_start = q.current_start,
       updated_at = now()
  FROM q JOIN swept x ON x.subject_type = q.subject_type AND x.subject_id = q.subject_id
 WHERE t.subject_type = q.subject_type AND t.subject_id = q.subject_id
RETURNING t.subject_type, t.subject_id, ${RESULT_COLUMNS}, x.count::int AS expired_count,
          x.amount::text AS expired_amount, x.charged::text AS charged_amount`;
