/**
 * The quota statements. A request spends on every layer of its subject: the subject's own quotas
 * and its ancestors' (llm_quota_parents), each for all models or for the models its pattern
 * covers. Each writing statement locks all the quota rows it touches first, in quota_id order,
 * and does all its work in one statement, so concurrent requests on any number of n8n workers
 * are serialized by Postgres itself and cannot deadlock.
 */

/** How many levels a subject's ancestry may have: the statements follow no more. */
export const MAX_LAYER_DEPTH = 8;

/**
 * The quota subject a subject spends as, as (type, id): itself, or through llm_quota_aliases
 * the key it was rotated from (both keys then share one budget). `type` and `id` are SQL
 * expressions, usually the statement's parameters.
 */
export const QUOTA_SUBJECT = (type: string, id: string) => `
		SELECT COALESCE(a.target_type, ${type}::text) AS type, COALESCE(a.target_id, ${id}::text) AS id
		  FROM (SELECT 1) one
		  LEFT JOIN llm_quota_aliases a ON a.subject_type = ${type}::text AND a.subject_id = ${id}::text`;

/** `chain`: the subject (depth 0) and its ancestors, nearest first. */
const CHAIN = (type: string, id: string) => `
	chain AS (
		WITH RECURSIVE up (type, id, depth) AS (
			SELECT s.type, s.id, 0 FROM (${QUOTA_SUBJECT(type, id)}) s
			UNION ALL
			SELECT p.parent_type, p.parent_id, up.depth + 1
			  FROM up JOIN llm_quota_parents p ON p.subject_type = up.type AND p.subject_id = up.id
			 WHERE up.depth < ${MAX_LAYER_DEPTH - 1}
		)
		SELECT type, id, depth FROM up
	)`;

/** The columns of a locked layer `q`, with the period it is in now. */
const LAYER_COLUMNS = `t.quota_id, t.subject_type, t.subject_id, t.models, t.kind, t.tat, t.quota_type, t.limit_amount,
		       t.warning_percent, t.used, t.reserved, t.period, t.period_start,
		       keypilot_period_start(t.period, t.period_start) AS current_start`;

/**
 * `q`: the layers a request on `model` spends on, locked in quota_id order before any
 * reservation row is touched (every statement takes its quota rows first, in that order).
 */
const LOCKED_LAYERS = (model: string) => `
	q AS (
		SELECT ${LAYER_COLUMNS}, c.depth
		  FROM llm_quotas t JOIN chain c ON t.subject_type = c.type AND t.subject_id = c.id
		 WHERE keypilot_model_matches(t.models, ${model})
		 ORDER BY t.quota_id
		   FOR UPDATE OF t
	)`;

/**
 * The "unsettled" usage row of each reservation in `expired e` that ran out, charged in full:
 * usage_complete false and the reason, tokens and cost from its layers of either unit. `from`
 * joins each to its layer `q`.
 */
const UNSETTLED_ROWS = (from: string) => `
		INSERT INTO llm_usage_log AS l (logged_at, provider, api_flavor, request_id, key_hash, key_id,
		                           total_tokens, cost_usd, usage_complete, error_message)
		SELECT min(e.expires_at), 'keypilot', 'unsettled_reservation', 'reservation:' || e.reservation_id,
		       CASE WHEN min(e.origin_type) IN ('key_hash', 'token_hash') THEN min(e.origin_id) END,
		       CASE WHEN min(e.origin_type) = 'key_id' THEN min(e.origin_id) END,
		       max(e.amount) FILTER (WHERE q.quota_type = 'tokens')::bigint,
		       max(e.amount) FILTER (WHERE q.quota_type = 'usd'),
		       false, 'Reservation expired before it was settled: charged in full'
		  FROM ${from}
		 WHERE q.kind IN ('budget', 'tokens_per_minute')
		 GROUP BY e.reservation_id
		ON CONFLICT (provider, request_id) WHERE request_id IS NOT NULL DO UPDATE
		   SET total_tokens = COALESCE(l.total_tokens, EXCLUDED.total_tokens),
		       cost_usd = COALESCE(l.cost_usd, EXCLUDED.cost_usd)`;

/**
 * Fail closed: a reservation past its time that nobody settled (a crash, a kill, a hang, lost
 * usage) is charged in full, on each layer `q` as that layer is next locked. It stops holding
 * quota and its whole amount becomes usage of the period it was made in, with an "unsettled"
 * row in llm_usage_log (usage_complete false). A late Settle still replaces the charge with the
 * provider's count. Long-expired ones are removed. `lapsed`: per layer, what expired and what of
 * it counts in the current period.
 */
const EXPIRE_RESERVATIONS = (keep: string) => `
	expired AS (
		UPDATE llm_quota_reservations r SET status = 'expired'
		  FROM q
		 WHERE r.quota_id = q.quota_id AND r.status = 'held' AND r.expires_at <= now() ${keep}
		RETURNING r.reservation_id, r.quota_id, r.amount, r.expires_at, r.origin_type, r.origin_id,
		          (r.created_at >= q.current_start) AS counts
	),
	unsettled AS (${UNSETTLED_ROWS('expired e JOIN q ON q.quota_id = e.quota_id')}),
	pruned AS (
		DELETE FROM llm_quota_reservations r USING q
		 WHERE r.quota_id = q.quota_id AND r.status = 'expired' AND r.expires_at <= now() - interval '7 days'
	),
	lapsed AS (
		SELECT quota_id, sum(amount) AS amount, COALESCE(sum(amount) FILTER (WHERE counts), 0) AS charged
		  FROM expired GROUP BY quota_id
	)`;

/**
 * A budget's usage in the current period: reset on rollover, plus what just expired unsettled.
 * Rate and concurrency limits keep no usage.
 */
const USED_NOW = `CASE WHEN q.kind <> 'budget' THEN 0
		       WHEN q.current_start > q.period_start THEN COALESCE(l.charged, 0)
		       ELSE q.used + COALESCE(l.charged, 0) END`;

/** The part of a minute `amount` takes of a per-minute limit `q`. */
const SHARE = (q: string, amount: string) =>
	`(interval '1 minute' * (${amount} / ${q}.limit_amount)::double precision)`;

/** What a request asks of layer `q`: its amount in a budget's unit, its tokens, or one request. */
const AMOUNT = (q: string) => `CASE ${q}.kind
		       WHEN 'budget' THEN CASE ${q}.quota_type WHEN 'tokens' THEN $4::numeric ELSE $5::numeric END
		       WHEN 'tokens_per_minute' THEN $4::numeric
		       ELSE 1 END`;

/**
 * Whether \`amount\` fits layer \`s\` now (with \`used_now\` and \`reserved_now\`): a budget by its limit
 * (0: unlimited; an amount not known never fits), concurrency by what requests in flight hold, a
 * per-minute limit by GCRA.
 */
const FITS = (s: string) => `COALESCE(CASE ${s}.kind
		       WHEN 'budget' THEN ${s}.amount IS NOT NULL
		         AND (${s}.limit_amount = 0 OR ${s}.used_now + ${s}.reserved_now + ${s}.amount <= ${s}.limit_amount)
		       WHEN 'concurrent' THEN ${s}.reserved_now + ${s}.amount <= ${s}.limit_amount
		       ELSE GREATEST(${s}.tat, now()) + ${SHARE(s, `${s}.amount`)} <= now() + interval '1 minute' END, false)`;

/**
 * How long until a per-minute limit \`s\` that refused \`amount\` fits it, in milliseconds; null when
 * it never will (more than the limit at once) or for other kinds.
 */
const RETRY_AFTER_MS = (
	s: string,
) => `CASE WHEN ${s}.kind IN ('requests_per_minute', 'tokens_per_minute')
		         AND ${s}.amount <= ${s}.limit_amount
		       THEN GREATEST(0, ceil(extract(epoch FROM GREATEST(${s}.tat, now()) + ${SHARE(s, `${s}.amount`)}
		                                 - interval '1 minute' - now()) * 1000))::bigint END`;

/** Whether the amount asked of layer `s` is whole where the layer counts tokens. */
const WHOLE_ON_TOKENS = (s: string) =>
	`COALESCE(${s}.quota_type <> 'tokens' OR ${s}.amount = trunc(${s}.amount), false)`;

/** A per-minute limit's `tat` once layer `v` holds its amount (only `when` it is held). */
const ADVANCED_TAT = (
	v: string,
	when = 'true',
) => `CASE WHEN ${when} AND ${v}.kind IN ('requests_per_minute', 'tokens_per_minute')
		                  THEN GREATEST(${v}.tat, now()) + ${SHARE(v, `${v}.amount`)} ELSE ${v}.tat END`;

/**
 * The reservation's row on each layer `from` gives (as `v`, with its `amount`), made by the
 * subject at depth 0 of `chain`: $6 reservation id, $7 seconds until it expires.
 */
const HOLD = (from: string) => `
	held AS (
		INSERT INTO llm_quota_reservations
		       (reservation_id, quota_id, subject_type, subject_id, origin_type, origin_id, amount, expires_at)
		SELECT $6::uuid, v.quota_id, v.subject_type, v.subject_id, c.type, c.id, v.amount::numeric,
		       now() + make_interval(secs => $7::double precision)
		  FROM ${from}, chain c
		 WHERE c.depth = 0
		RETURNING reservation_id::text
	)`;

const RESULT_COLUMNS = `t.quota_id, t.subject_type, t.subject_id, t.models, t.kind, t.quota_type,
	t.limit_amount::text AS limit_amount, t.used::text AS used, t.reserved::text AS reserved,
	t.warning_percent::text AS warning_percent, t.period, t.period_start`;

/** Layers in enforcement order: the subject first, then its parent...; a model's quota first, budgets before rates. */
const ENFORCEMENT_ORDER = `depth, models = '', models, kind <> 'budget', kind, quota_id`;

/** A single amount of unspecified unit (`flag`) cannot be held on budgets in both units. */
const MIXED_UNITS = (flag: string) =>
	`(${flag}::boolean AND count(DISTINCT quota_type) FILTER (WHERE kind = 'budget') > 1)`;

/**
 * `verdict`: each layer of `from` (with the `amount` asked of it) judged; `decision`: whether the
 * request fits all of them, and whether one amount of unspecified unit (`flag`) met both units.
 */
const JUDGED = (from: string, flag: string) => `
	verdict AS (
		SELECT s.*, ${WHOLE_ON_TOKENS('s')} AS amount_fits_type,
		       ${FITS('s')} AS fits, ${RETRY_AFTER_MS('s')} AS retry_after_ms
		  FROM ${from} s
	),
	decision AS (
		SELECT bool_and(amount_fits_type AND fits) AND NOT ${MIXED_UNITS(flag)} AS allowed,
		       ${MIXED_UNITS(flag)} AS mixed_units
		  FROM verdict
	)`;

/**
 * Reserve: $1 subject type, $2 subject id, $3 model (null: the request names none), $4 amount on
 * token layers, $5 amount on USD layers (null: not known, a USD layer refuses), $6 reservation
 * id, $7 seconds until it expires, $8 true when the amount is in one unspecified unit (then
 * layers in both units refuse). Rolls each layer's period over, charges its expired
 * reservations and, if the amount fits every layer (limit 0 is unlimited) and is whole on token
 * layers, holds it on all of them: all in one statement under the layers' locks. One row per
 * layer, in enforcement order; none when no layer has a quota.
 */
export const RESERVE_SQL = `
WITH ${CHAIN('$1', '$2')},
	${LOCKED_LAYERS('$3::text')},
	${EXPIRE_RESERVATIONS('')},
	state AS (
		SELECT q.*, ${USED_NOW} AS used_now,
		       GREATEST(0, q.reserved - COALESCE(l.amount, 0)) AS reserved_now, ${AMOUNT('q')} AS amount
		  FROM q LEFT JOIN lapsed l ON l.quota_id = q.quota_id
	),
	${JUDGED('state', '$8')},
	updated AS (
		UPDATE llm_quotas t
		   SET used = v.used_now,
		       reserved = v.reserved_now + CASE WHEN d.allowed THEN v.amount ELSE 0 END,
		       tat = ${ADVANCED_TAT('v', 'd.allowed')},
		       period_start = v.current_start,
		       updated_at = now()
		  FROM verdict v, decision d
		 WHERE t.quota_id = v.quota_id
		RETURNING ${RESULT_COLUMNS}, v.depth, d.allowed, d.mixed_units, v.fits, v.amount_fits_type,
		          v.retry_after_ms, v.amount::text AS amount, (v.used_now + v.reserved_now)::text AS before_total
	),
	${HOLD('verdict v JOIN decision d ON d.allowed')}
SELECT u.*, (SELECT reservation_id FROM held LIMIT 1) AS reservation_id
  FROM updated u ORDER BY ${ENFORCEMENT_ORDER}`;

/**
 * Reserve's common case on a layered subject, same parameters as RESERVE_SQL: the layers locked
 * as RESERVE_SQL locks them, every period current, none of their reservations past expiry, and
 * the amount fits every layer. Then it holds the amount on all of them, without the roll-over and
 * expiry work. No row back means "not the common case" (a refusal among them): RESERVE_SQL decides.
 */
export const RESERVE_LAYERS_WHEN_CURRENT_SQL = `
WITH ${CHAIN('$1', '$2')},
	${LOCKED_LAYERS('$3::text')},
	verdict AS (
		SELECT q.*, q.used AS used_now, q.reserved AS reserved_now, ${AMOUNT('q')} AS amount FROM q
	),
	judged AS (
		SELECT v.*, ${WHOLE_ON_TOKENS('v')} AS amount_fits_type, ${FITS('v')} AS fits FROM verdict v
	),
	-- Only the common case: no retry times to compute, and the periods and expiries checked here.
	decision AS (
		SELECT bool_and(amount_fits_type AND fits AND current_start = period_start)
		         AND NOT ${MIXED_UNITS('$8')}
		         AND NOT EXISTS (
		           SELECT 1 FROM llm_quota_reservations r JOIN q ON r.quota_id = q.quota_id
		            WHERE r.status = 'held' AND r.expires_at <= now()) AS allowed
		  FROM judged
	),
	updated AS (
		UPDATE llm_quotas t
		   SET reserved = j.reserved_now + j.amount,
		       tat = ${ADVANCED_TAT('j')},
		       updated_at = now()
		  FROM judged j, decision d
		 WHERE t.quota_id = j.quota_id AND d.allowed
		RETURNING ${RESULT_COLUMNS}, j.depth, true AS allowed, false AS mixed_units, true AS fits,
		          true AS amount_fits_type, NULL::bigint AS retry_after_ms, j.amount::text AS amount,
		          (j.used_now + j.reserved_now)::text AS before_total
	),
	${HOLD('updated v')}
SELECT u.*, (SELECT reservation_id FROM held LIMIT 1) AS reservation_id
  FROM updated u ORDER BY ${ENFORCEMENT_ORDER}`;

/**
 * Reserve's common case: $1 subject type, $2 subject id, $3 amount on a token budget, $4 on a USD
 * budget, $5 reservation id, $6 seconds until it expires. The subject's one budget is its only
 * layer (no parent, no model quota, no rate limit), its period is current, none of its reservations is past
 * expiry, and the amount fits. Then holding it is one UPDATE of the quota row, whose conditions
 * Postgres checks again on the row as it is once its lock is granted, so a queue on a hot key
 * waits for the shortest possible lock. No row back means "not the common case": RESERVE_SQL
 * decides. An expiry that falls while this waits for the lock is left for the next statement to
 * charge; until then the reservation still holds its amount, so nothing is admitted that would
 * not fit. A parent set while this runs is a change after it, as if it came a moment later.
 */
export const RESERVE_WHEN_CURRENT_SQL = `
WITH subject AS (${QUOTA_SUBJECT('$1', '$2')}),
updated AS (
	UPDATE llm_quotas t
	   SET reserved = t.reserved + CASE t.quota_type WHEN 'tokens' THEN $3::numeric ELSE $4::numeric END,
	       updated_at = now()
	  FROM subject s
	 WHERE t.subject_type = s.type AND t.subject_id = s.id AND t.models = '' AND t.kind = 'budget'
	   AND keypilot_period_start(t.period, t.period_start) = t.period_start
	   AND CASE t.quota_type WHEN 'tokens' THEN $3::numeric = trunc($3::numeric) ELSE $4::numeric IS NOT NULL END
	   AND (t.limit_amount = 0
	        OR t.used + t.reserved + CASE t.quota_type WHEN 'tokens' THEN $3::numeric ELSE $4::numeric END <= t.limit_amount)
	   AND NOT EXISTS (
		SELECT 1 FROM llm_quota_parents p WHERE p.subject_type = s.type AND p.subject_id = s.id)
	   AND NOT EXISTS (
		SELECT 1 FROM llm_quotas o
		 WHERE o.subject_type = s.type AND o.subject_id = s.id AND o.quota_id <> t.quota_id)
	   AND NOT EXISTS (
		SELECT 1 FROM llm_quota_reservations r
		 WHERE r.quota_id = t.quota_id AND r.status = 'held' AND r.expires_at <= now())
	RETURNING ${RESULT_COLUMNS}, 0 AS depth, true AS allowed, false AS mixed_units,
	          NULL::bigint AS retry_after_ms, true AS fits, true AS amount_fits_type,
	          CASE t.quota_type WHEN 'tokens' THEN $3::numeric ELSE $4::numeric END::text AS amount,
	          (t.used + t.reserved - CASE t.quota_type WHEN 'tokens' THEN $3::numeric ELSE $4::numeric END)::text AS before_total
),
held AS (
	INSERT INTO llm_quota_reservations
	       (reservation_id, quota_id, subject_type, subject_id, origin_type, origin_id, amount, expires_at)
	SELECT $5::uuid, u.quota_id, u.subject_type, u.subject_id, u.subject_type, u.subject_id, u.amount::numeric,
	       now() + make_interval(secs => $6::double precision)
	  FROM updated u
	RETURNING reservation_id::text
)
SELECT u.*, (SELECT reservation_id FROM held) AS reservation_id FROM updated u`;

/**
 * Settle: $1 subject type, $2 subject id, $3 reservation id, $4 actual tokens, $5 actual cost in
 * USD (either null: not known, so that layer is charged what it held). Replaces the reservation
 * on each layer it holds with the actual usage in that layer's unit (fractional tokens settle
 * nothing); more than was reserved is charged too (`reserved_amount` lets the caller flag it).
 * Usage counts in the period the reservation was made in. A layer whose reservation expired and
 * was charged in full has that charge replaced. Only the subject that made a reservation settles
 * it; an unknown or already settled one changes nothing but housekeeping, and the rows then are
 * the subject's layers, `found` false.
 */
export const SETTLE_SQL = `
WITH ${CHAIN('$1', '$2')},
	mine AS (
		SELECT r.quota_id FROM llm_quota_reservations r
		  JOIN chain o ON o.depth = 0 AND r.origin_type = o.type AND r.origin_id = o.id
		 WHERE r.reservation_id = $3::uuid
	),
	q AS (
		SELECT ${LAYER_COLUMNS}, COALESCE(c.depth, ${MAX_LAYER_DEPTH}) AS depth
		  FROM llm_quotas t LEFT JOIN chain c ON t.subject_type = c.type AND t.subject_id = c.id
		 WHERE t.quota_id IN (SELECT quota_id FROM mine)
		    OR (c.depth IS NOT NULL AND NOT EXISTS (SELECT 1 FROM mine))
		 ORDER BY t.quota_id
		   FOR UPDATE OF t
	),
	whole AS (
		SELECT $4::numeric IS NULL OR $4::numeric = trunc($4::numeric)
		       OR NOT EXISTS (SELECT 1 FROM q WHERE quota_type = 'tokens') AS amount_fits_type
	),
	settled AS (
		DELETE FROM llm_quota_reservations r USING q, whole w
		 WHERE r.reservation_id = $3::uuid AND r.quota_id = q.quota_id AND w.amount_fits_type
		   AND r.quota_id IN (SELECT quota_id FROM mine)
		RETURNING r.quota_id, r.amount, r.status, r.created_at
	),
	-- An expired reservation's "unsettled" usage row goes: the request's own row is logged with its usage.
	resolved AS (
		DELETE FROM llm_usage_log l
		 WHERE l.provider = 'keypilot' AND l.request_id = 'reservation:' || $3
		   AND EXISTS (SELECT 1 FROM settled WHERE status = 'expired')
	),
	${EXPIRE_RESERVATIONS('AND r.reservation_id <> $3::uuid')},
	state AS (
		SELECT q.*, s.quota_id IS NOT NULL AS found, s.amount AS held_amount,
		       COALESCE(s.created_at >= q.current_start, false) AS counts,
		       ${USED_NOW}
		         - CASE WHEN q.kind = 'budget' AND s.status = 'expired' AND s.created_at >= q.current_start
		                THEN s.amount ELSE 0 END AS used_now,
		       GREATEST(0, q.reserved - COALESCE(l.amount, 0)
		         - CASE WHEN s.status = 'held' THEN s.amount ELSE 0 END) AS reserved_now,
		       CASE q.kind
		         WHEN 'budget' THEN CASE q.quota_type WHEN 'tokens' THEN COALESCE($4::numeric, s.amount)
		                                              ELSE COALESCE($5::numeric, s.amount) END
		         WHEN 'tokens_per_minute' THEN COALESCE($4::numeric, s.amount)
		         WHEN 'requests_per_minute' THEN s.amount
		         ELSE 0 END AS charged
		  FROM q LEFT JOIN lapsed l ON l.quota_id = q.quota_id LEFT JOIN settled s ON s.quota_id = q.quota_id
	),
	updated AS (
		UPDATE llm_quotas t
		   SET used = s.used_now + CASE WHEN s.counts AND s.kind = 'budget' THEN s.charged ELSE 0 END,
		       reserved = s.reserved_now,
		       -- A token rate gives back what the request held beyond its count (or takes the excess).
		       tat = CASE WHEN s.found AND s.kind = 'tokens_per_minute'
		                  THEN s.tat - ${SHARE('s', '(s.held_amount - s.charged)')} ELSE s.tat END,
		       period_start = s.current_start,
		       updated_at = now()
		  FROM state s
		 WHERE t.quota_id = s.quota_id
		RETURNING ${RESULT_COLUMNS}, s.depth, s.found, s.counts, (SELECT amount_fits_type FROM whole) AS amount_fits_type,
		          (s.used_now + s.reserved_now)::text AS before_total, s.held_amount::text AS reserved_amount,
		          CASE WHEN s.found THEN s.charged::text END AS charged
	)
SELECT * FROM updated ORDER BY ${ENFORCEMENT_ORDER}`;

/**
 * Layers' state now, read-only, for the quota rows `layers` selects as `t` (with a `depth`): the
 * period rolled over, reservations past their time no longer held and, if made in this period,
 * counted as used (as Reserve charges them). Check, Get and Get Alerts read the state Reserve
 * decides on.
 */
const CURRENT_STATE = (layers: string) => `
q AS (${layers}),
lapsed AS (
	SELECT r.quota_id, sum(r.amount) AS amount,
	       COALESCE(sum(r.amount) FILTER (WHERE r.created_at >= q.current_start), 0) AS charged
	  FROM llm_quota_reservations r JOIN q ON r.quota_id = q.quota_id
	 WHERE r.status = 'held' AND r.expires_at <= now()
	 GROUP BY r.quota_id
),
state AS (
	SELECT q.*, ${USED_NOW} AS used_now, GREATEST(0, q.reserved - COALESCE(l.amount, 0)) AS reserved_now
	  FROM q LEFT JOIN lapsed l ON l.quota_id = q.quota_id
)`;

/**
 * Check: $1 subject type, $2 subject id, $3 model, $4 token amount, $5 USD amount, $6 one
 * unspecified unit (as Reserve). Read-only: what Reserve would decide now, one row per layer in
 * enforcement order, with the reservations of this period that expired unsettled.
 */
export const CHECK_SQL = `
WITH ${CHAIN('$1', '$2')},
${CURRENT_STATE(`
	SELECT ${LAYER_COLUMNS}, c.depth
	  FROM llm_quotas t JOIN chain c ON t.subject_type = c.type AND t.subject_id = c.id
	 WHERE keypilot_model_matches(t.models, $3::text)`)},
asked AS (
	SELECT s.*, ${AMOUNT('s')} AS amount FROM state s
),
${JUDGED('asked', '$6')},
unsettled AS (
	SELECT r.quota_id, count(*) AS count, COALESCE(sum(r.amount), 0) AS amount
	  FROM llm_quota_reservations r JOIN q ON r.quota_id = q.quota_id
	 WHERE r.expires_at <= now() AND r.created_at >= q.current_start
	 GROUP BY r.quota_id
)
SELECT j.quota_id, j.subject_type, j.subject_id, j.models, j.kind, j.depth, j.quota_type,
       j.limit_amount::text AS limit_amount, j.used_now::text AS used, j.reserved_now::text AS reserved,
       j.warning_percent::text AS warning_percent, j.period, j.current_start AS period_start,
       (CASE j.period WHEN 'daily' THEN j.current_start AT TIME ZONE 'UTC' + interval '1 day'
                      WHEN 'weekly' THEN j.current_start AT TIME ZONE 'UTC' + interval '1 week'
                      WHEN 'monthly' THEN j.current_start AT TIME ZONE 'UTC' + interval '1 month'
        END) AT TIME ZONE 'UTC' AS next_reset,
       j.amount::text AS amount, j.amount_fits_type, j.fits, j.retry_after_ms, d.allowed, d.mixed_units,
       (j.used_now + j.reserved_now)::text AS before_total,
       COALESCE(u.count, 0)::int AS expired_count, COALESCE(u.amount, 0)::text AS expired_amount
  FROM verdict j CROSS JOIN decision d LEFT JOIN unsettled u ON u.quota_id = j.quota_id
 ORDER BY ${ENFORCEMENT_ORDER}`;

/**
 * Get Alerts: every limited quota whose usage now (settled plus held, as Check reads it) crossed
 * its warning threshold or its limit in the current period and was not alerted for it yet. The
 * alert is recorded and returned by the same statement, so it is told once per period even when
 * two runs overlap.
 */
export const ALERTS_SQL = `
WITH ${CURRENT_STATE(`SELECT ${LAYER_COLUMNS} FROM llm_quotas t WHERE t.limit_amount > 0 AND t.kind = 'budget'`)},
crossing AS (
	SELECT s.subject_type, s.subject_id, s.models, s.quota_type, s.limit_amount, s.current_start,
	       s.used_now + s.reserved_now AS total,
	       CASE WHEN s.used_now + s.reserved_now >= s.limit_amount THEN 'exhausted' ELSE 'warning' END AS kind
	  FROM state s
	 WHERE s.used_now + s.reserved_now >= s.limit_amount
	    OR (s.warning_percent IS NOT NULL
	        AND s.used_now + s.reserved_now >= s.limit_amount * s.warning_percent / 100)
)
INSERT INTO llm_quota_alerts (subject_type, subject_id, models, kind, period_start, quota_used, quota_limit, quota_type)
SELECT subject_type, subject_id, models, kind, current_start, total, limit_amount, quota_type FROM crossing
ON CONFLICT DO NOTHING
RETURNING subject_type, subject_id, models, kind, quota_type, quota_used::text AS quota_used,
          quota_limit::text AS quota_limit, period_start`;

/**
 * Set: $1 type, $2 id, $3 quota type, $4 limit, $5 period, $6 warning percent, $7 model pattern
 * ('' for all models), $8 kind (budget, or a rate or concurrency limit). The limit can be raised or lowered at any time: reservations in flight
 * are kept. Changing the quota type starts counting from zero and drops reservations held in the
 * old unit. The quota row is locked before any reservation row, as in every other statement.
 */
export const SET_SQL = `
WITH subject AS (${QUOTA_SUBJECT('$1', '$2')}),
locked AS (
	SELECT t.quota_id, t.quota_type FROM llm_quotas t, subject s
	 WHERE t.subject_type = s.type AND t.subject_id = s.id AND t.models = $7::text AND t.kind = $8::text
	   FOR UPDATE OF t
),
dropped AS (
	DELETE FROM llm_quota_reservations r USING locked k
	 WHERE r.quota_id = k.quota_id AND k.quota_type <> $3
)
INSERT INTO llm_quotas AS t (subject_type, subject_id, models, kind, quota_type, limit_amount, period, warning_percent, period_start)
SELECT s.type, s.id, $7::text, $8::text, $3, $4::numeric, $5, $6::numeric, keypilot_period_start($5, now()) FROM subject s
ON CONFLICT (subject_type, subject_id, models, kind) DO UPDATE SET
	limit_amount = EXCLUDED.limit_amount,
	warning_percent = EXCLUDED.warning_percent,
	period = EXCLUDED.period,
	quota_type = EXCLUDED.quota_type,
	period_start = CASE WHEN t.period = EXCLUDED.period AND t.quota_type = EXCLUDED.quota_type
	                    THEN t.period_start ELSE EXCLUDED.period_start END,
	used = CASE WHEN t.quota_type = EXCLUDED.quota_type THEN t.used ELSE 0 END,
	reserved = CASE WHEN t.quota_type = EXCLUDED.quota_type THEN t.reserved ELSE 0 END,
	updated_at = now()
RETURNING ${RESULT_COLUMNS}`;

/** Reset: $3 model pattern. Usage starts again from now; reservations in flight keep holding. */
export const RESET_SQL = `
UPDATE llm_quotas t SET used = 0, period_start = now(), updated_at = now()
  FROM (${QUOTA_SUBJECT('$1', '$2')}) s
 WHERE t.subject_type = s.type AND t.subject_id = s.id AND t.models = $3::text AND t.kind = 'budget'
RETURNING ${RESULT_COLUMNS}`;

/**
 * Set Parent: $1 subject type, $2 id, $3 parent type, $4 parent id (null: no parent). Refused
 * (no row) when the parent is the subject or one of its descendants, or when the ancestry would
 * be deeper than the statements follow.
 */
export const SET_PARENT_SQL = `
WITH RECURSIVE subject AS (${QUOTA_SUBJECT('$1', '$2')}),
above (type, id, depth) AS (
	SELECT $3::text, $4::text, 1 WHERE $4::text IS NOT NULL
	UNION ALL
	SELECT p.parent_type, p.parent_id, a.depth + 1
	  FROM above a JOIN llm_quota_parents p ON p.subject_type = a.type AND p.subject_id = a.id
	 WHERE a.depth <= ${MAX_LAYER_DEPTH}
),
below (type, id, depth) AS (
	SELECT s.type, s.id, 0 FROM subject s
	UNION ALL
	SELECT p.subject_type, p.subject_id, b.depth + 1
	  FROM below b JOIN llm_quota_parents p ON p.parent_type = b.type AND p.parent_id = b.id
	 WHERE b.depth <= ${MAX_LAYER_DEPTH}
),
refusal AS (
	SELECT CASE
	         WHEN EXISTS (SELECT 1 FROM above a JOIN below b ON a.type = b.type AND a.id = b.id) THEN 'cycle'
	         WHEN (SELECT max(depth) FROM above) + (SELECT max(depth) FROM below) >= ${MAX_LAYER_DEPTH} THEN 'depth'
	       END AS reason
),
removed AS (
	DELETE FROM llm_quota_parents p USING subject s, refusal f
	 WHERE $4::text IS NULL AND p.subject_type = s.type AND p.subject_id = s.id
	RETURNING p.subject_type
),
written AS (
	INSERT INTO llm_quota_parents (subject_type, subject_id, parent_type, parent_id)
	SELECT s.type, s.id, $3::text, $4::text FROM subject s, refusal f
	 WHERE $4::text IS NOT NULL AND f.reason IS NULL
	ON CONFLICT (subject_type, subject_id) DO UPDATE
	   SET parent_type = EXCLUDED.parent_type, parent_id = EXCLUDED.parent_id, created_at = now()
	RETURNING subject_type
)
SELECT s.type AS subject_type, s.id AS subject_id, f.reason,
       EXISTS (SELECT 1 FROM written) OR EXISTS (SELECT 1 FROM removed) AS changed
  FROM subject s, refusal f`;

/**
 * Sweep: every reservation past its time, on every quota, charged in full and no longer held,
 * whether or not another request comes (Reserve and Settle do the same for their own layers).
 * The quota rows are locked in quota_id order, as every statement locks its own, so the sweep
 * never deadlocks with them. One row per quota swept.
 */
export const SWEEP_SQL = `
WITH q AS (
	SELECT ${LAYER_COLUMNS}
	  FROM llm_quotas t
	 WHERE EXISTS (
		SELECT 1 FROM llm_quota_reservations r
		 WHERE r.quota_id = t.quota_id AND r.status = 'held' AND r.expires_at <= now())
	 ORDER BY t.quota_id
	   FOR UPDATE
),
${EXPIRE_RESERVATIONS('')},
counted AS (SELECT quota_id, count(*) AS count FROM expired GROUP BY quota_id)
UPDATE llm_quotas t
   SET used = CASE WHEN q.kind <> 'budget' THEN 0
                   WHEN q.current_start > q.period_start THEN l.charged ELSE q.used + l.charged END,
       reserved = GREATEST(0, q.reserved - l.amount),
       period_start = q.current_start,
       updated_at = now()
  FROM q JOIN lapsed l ON l.quota_id = q.quota_id JOIN counted n ON n.quota_id = q.quota_id
 WHERE t.quota_id = q.quota_id
RETURNING ${RESULT_COLUMNS}, n.count::int AS expired_count,
          l.amount::text AS expired_amount, l.charged::text AS charged_amount`;
