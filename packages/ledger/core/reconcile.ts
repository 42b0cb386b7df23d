/**
 * Reconciliation: the cost we metered against the cost the provider billed, per provider, API key
 * and UTC day, written to llm_cost_drift. Pure: the caller passes a connection.
 *
 * Metered: priced rows of llm_usage_log, attributed to the provider's key by its ID or by the
 * hash a created key was recorded with; a row with neither is unattributed metered spend.
 * Billed, per provider:
 * - OpenAI: daily llm_costs rows synced by API key (costs grouped by api_key_id);
 * - Anthropic: what it billed each key per day, from the Analytics API (billing mode
 *   'billed_by_key'); for a day without such rows, the legacy usage report by key and model
 *   priced by the catalog (billing mode 'priced_usage'), which compares our prices with ours;
 * - OpenRouter: each key's spend of a day from its usage snapshots. A snapshot taken during a UTC
 *   day gives the running total at that day's midnight (usage minus usage_daily), so a day's
 *   spend is the next midnight's total minus its own; a day with no snapshot on the next day is
 *   open.
 * A billed row with no key, or with a key we do not know, is unattributed spend.
 */
import { inTransaction, type Queryable } from './db';

export const DRIFT_STATUSES = ['matched', 'over', 'under', 'unattributed', 'open'] as const;
export type DriftStatus = (typeof DRIFT_STATUSES)[number];

export interface DriftRow {
	provider: string;
	api_key_id: string;
	day: string;
	metered_usd: string;
	billed_usd: string;
	difference_usd: string;
	difference_percent: string | null;
	status: DriftStatus;
	/** Where billed_usd comes from ("anthropic analytics cost by key", ...); metered is always llm_usage_log. */
	billed_source: string;
	/** This run wrote or changed the row. */
	changed: boolean;
	/** A drift beyond tolerance told now for the first time (it is marked alerted). */
	new_drift: boolean;
}

/**
 * $1 first day, $2 day after the last, $3 tolerance in percent, $4 providers. A day not over yet
 * (today or later, UTC) is 'open': the provider may still add to it. Within tolerance of the billed
 * amount is 'matched'; beyond it, 'over' when billed more than metered, else 'under'.
 */
const RECONCILE_SQL = `
WITH metered AS (
	SELECT l.provider, coalesce(k.key_id, l.key_id, '') AS api_key_id,
	       (l.logged_at AT TIME ZONE 'UTC')::date AS day, sum(l.cost_usd) AS usd
	  FROM llm_usage_log l
	  LEFT JOIN llm_api_keys k ON k.provider = l.provider AND k.key_hash = l.key_hash
	 WHERE l.logged_at >= $1::date AND l.logged_at < $2::date
	   AND l.provider = ANY($4::text[]) AND l.cost_usd IS NOT NULL
	 GROUP BY 1, 2, 3
),
-- OpenRouter: a key's running total at the midnight that began each day it was seen on.
midnights AS (
	SELECT DISTINCT ON (u.key_id, (u.snapshot_at AT TIME ZONE 'UTC')::date)
	       u.key_id, (u.snapshot_at AT TIME ZONE 'UTC')::date AS day,
	       u.cost_usd - (u.metadata->>'usage_daily')::numeric AS total
	  FROM llm_api_key_usage u
	 WHERE u.provider = 'openrouter' AND 'openrouter' = ANY($4::text[])
	   AND u.cost_usd IS NOT NULL AND u.metadata->>'usage_daily' IS NOT NULL
	   AND u.snapshot_at >= $1::date AND u.snapshot_at < $2::date + 1
	 ORDER BY u.key_id, (u.snapshot_at AT TIME ZONE 'UTC')::date, u.snapshot_at DESC
),
openrouter_days AS (
	SELECT a.key_id, a.day, b.total - a.total AS usd
	  FROM midnights a JOIN midnights b ON b.key_id = a.key_id AND b.day = a.day + 1
	 WHERE a.day < $2::date
),
billed_rows AS (
	SELECT c.provider, c.api_key_id, c.period_start AS day, c.amount AS usd,
	       c.provider || CASE c.billing_mode WHEN 'billed_by_key' THEN ' analytics cost by key'
	                                          WHEN 'priced_usage' THEN ' usage priced by the catalog'
	                                          ELSE ' costs' END AS source
	  FROM llm_costs c
	 WHERE c.period = 'day' AND c.period_start >= $1::date AND c.period_start < $2::date
	   AND c.provider = ANY($4::text[]) AND c.provider <> 'openrouter' AND c.currency = 'USD'
	   AND (c.api_key_id <> '' OR c.line_item = '' OR c.billing_mode IN ('priced_usage', 'billed_by_key'))
	   -- A day the provider billed by key needs no estimate from our own prices.
	   AND NOT (c.billing_mode = 'priced_usage' AND EXISTS (
	        SELECT 1 FROM llm_costs b
	         WHERE b.provider = c.provider AND b.billing_mode = 'billed_by_key'
	           AND b.period = 'day' AND b.period_start = c.period_start))
	UNION ALL
	SELECT 'openrouter', d.key_id, d.day, d.usd, 'openrouter key usage snapshots' FROM openrouter_days d
),
billed AS (
	SELECT b.provider, CASE WHEN k.key_id IS NULL THEN '' ELSE b.api_key_id END AS api_key_id,
	       b.day, sum(b.usd) AS usd, string_agg(DISTINCT b.source, ', ' ORDER BY b.source) AS source
	  FROM billed_rows b
	  LEFT JOIN llm_api_keys k ON k.provider = b.provider AND k.key_id = b.api_key_id AND b.api_key_id <> ''
	 GROUP BY 1, 2, 3
),
-- OpenRouter days whose spend cannot be known yet: no snapshot on the next day.
unknown AS (
	SELECT DISTINCT m.provider, m.day FROM metered m
	 WHERE m.provider = 'openrouter'
	   AND NOT EXISTS (SELECT 1 FROM midnights n WHERE n.day = m.day + 1)
),
joined AS (
	SELECT coalesce(m.provider, b.provider) AS provider, coalesce(m.api_key_id, b.api_key_id) AS api_key_id,
	       coalesce(m.day, b.day) AS day, coalesce(m.usd, 0) AS metered, coalesce(b.usd, 0) AS billed,
	       coalesce(b.source, '') AS billed_source
	  FROM metered m
	  FULL JOIN billed b ON b.provider = m.provider AND b.api_key_id = m.api_key_id AND b.day = m.day
),
judged AS (
	SELECT j.*, j.billed - j.metered AS difference,
	       CASE WHEN j.billed = 0 THEN NULL ELSE round(100 * (j.billed - j.metered) / j.billed, 4) END AS percent,
	       CASE WHEN j.day >= (now() AT TIME ZONE 'UTC')::date THEN 'open'
	            WHEN EXISTS (SELECT 1 FROM unknown u WHERE u.provider = j.provider AND u.day = j.day) THEN 'open'
	            WHEN j.api_key_id = '' THEN 'unattributed'
	            WHEN abs(j.billed - j.metered) <= j.billed * $3::numeric / 100 THEN 'matched'
	            WHEN j.billed > j.metered THEN 'over'
	            ELSE 'under' END AS status
	  FROM joined j
)
INSERT INTO llm_cost_drift AS t (provider, api_key_id, day, metered_usd, billed_usd, difference_usd,
                                 difference_percent, status, tolerance_percent, billed_source)
SELECT provider, api_key_id, day, metered, billed, difference, percent, status, $3::numeric, billed_source FROM judged
ON CONFLICT (provider, api_key_id, day) DO UPDATE SET
	metered_usd = EXCLUDED.metered_usd, billed_usd = EXCLUDED.billed_usd, billed_source = EXCLUDED.billed_source,
	difference_usd = EXCLUDED.difference_usd, difference_percent = EXCLUDED.difference_percent,
	status = EXCLUDED.status, tolerance_percent = EXCLUDED.tolerance_percent, reconciled_at = now(),
	-- A row whose status changes may be told again.
	alerted_at = CASE WHEN t.status = EXCLUDED.status THEN t.alerted_at END
 WHERE (t.metered_usd, t.billed_usd, t.status, t.tolerance_percent, t.billed_source)
       IS DISTINCT FROM (EXCLUDED.metered_usd, EXCLUDED.billed_usd, EXCLUDED.status, EXCLUDED.tolerance_percent, EXCLUDED.billed_source)
RETURNING provider, api_key_id, to_char(day, 'YYYY-MM-DD') AS day`;

const ALERT_SQL = `
UPDATE llm_cost_drift SET alerted_at = now()
 WHERE day >= $1::date AND day < $2::date AND provider = ANY($3::text[])
   AND status IN ('over', 'under', 'unattributed') AND alerted_at IS NULL
RETURNING provider, api_key_id, to_char(day, 'YYYY-MM-DD') AS day`;

const READ_SQL = `
SELECT provider, api_key_id, to_char(day, 'YYYY-MM-DD') AS day, trim_scale(metered_usd)::text AS metered_usd,
       trim_scale(billed_usd)::text AS billed_usd, trim_scale(difference_usd)::text AS difference_usd,
       trim_scale(difference_percent)::text AS difference_percent, status, billed_source
  FROM llm_cost_drift
 WHERE day >= $1::date AND day < $2::date AND provider = ANY($3::text[])
 ORDER BY day, provider, api_key_id`;

export interface ReconcileRequest {
	/** First UTC day, "YYYY-MM-DD". */
	from: string;
	/** Last UTC day, inclusive. */
	to: string;
	tolerancePercent: string;
	providers: string[];
}

const nextDay = (day: string) => {
	const date = new Date(`${day}T00:00:00Z`);
	date.setUTCDate(date.getUTCDate() + 1);
	return date.toISOString().slice(0, 10);
};

/** Writes the drift of every provider, key and day in the range, in one transaction. */
export async function reconcile(db: Queryable, request: ReconcileRequest): Promise<DriftRow[]> {
	const end = nextDay(request.to);
	const [written, told, rows] = await inTransaction(
		db,
		async () =>
			[
				await db.query<{ provider: string; api_key_id: string; day: string }>(RECONCILE_SQL, [
					request.from,
					end,
					request.tolerancePercent,
					request.providers,
				]),
				await db.query<{ provider: string; api_key_id: string; day: string }>(ALERT_SQL, [
					request.from,
					end,
					request.providers,
				]),
				await db.query<Omit<DriftRow, 'changed' | 'new_drift'>>(READ_SQL, [
					request.from,
					end,
					request.providers,
				]),
			] as const,
	);
	const key = (row: { provider: string; api_key_id: string; day: string }) =>
		`${row.provider}/${row.api_key_id}/${row.day}`;
	const changed = new Set(written.rows.map(key));
	const fresh = new Set(told.rows.map(key));
	return rows.rows.map((row) => ({
		...row,
		changed: changed.has(key(row)),
		new_drift: fresh.has(key(row)),
	}));
}
