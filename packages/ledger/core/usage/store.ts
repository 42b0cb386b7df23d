/**
 * Writes usage rows to llm_usage_log and reads the stats views (tables created by the ledger migrations). Pure: no
 * n8n import; the database is anything with pg's `query`.
 */
import type { Queryable } from '../db';
import { MAX_LAYER_DEPTH } from '../quota/statements';

export interface UsageRow {
	logged_at: string;
	provider: string;
	api_flavor: string | null;
	model: string | null;
	request_id: string | null;
	key_hash: string | null;
	key_id: string | null;
	key_name: string | null;
	route: string | null;
	http_method: string | null;
	status_code: number | null;
	response_ms: number | null;
	client_ip: string | null;
	user_agent: string | null;
	error_message: string | null;
	input_tokens: number | null;
	output_tokens: number | null;
	cache_read_tokens: number | null;
	cache_write_5m_tokens: number | null;
	cache_write_1h_tokens: number | null;
	reasoning_tokens: number | null;
	/** Absent for rows written before version 11. */
	web_search_requests?: number | null;
	web_fetch_requests?: number | null;
	total_tokens: number | null;
	usage_complete: boolean;
	streamed: boolean;
	cost_usd: string | null;
	price_source: string | null;
	execution_id: string | null;
	/** The workflow the call came from (absent for rows written before version 3). */
	workflow_id?: string | null;
}

const COLUMNS: Array<[keyof UsageRow, string]> = [
	['logged_at', 'timestamptz'],
	['provider', 'text'],
	['api_flavor', 'text'],
	['model', 'text'],
	['request_id', 'text'],
	['key_hash', 'text'],
	['key_id', 'text'],
	['key_name', 'text'],
	['route', 'text'],
	['http_method', 'text'],
	['status_code', 'integer'],
	['response_ms', 'integer'],
	['client_ip', 'text'],
	['user_agent', 'text'],
	['error_message', 'text'],
	['input_tokens', 'bigint'],
	['output_tokens', 'bigint'],
	['cache_read_tokens', 'bigint'],
	['cache_write_5m_tokens', 'bigint'],
	['cache_write_1h_tokens', 'bigint'],
	['reasoning_tokens', 'bigint'],
	['web_search_requests', 'integer'],
	['web_fetch_requests', 'integer'],
	['total_tokens', 'bigint'],
	['usage_complete', 'boolean'],
	['streamed', 'boolean'],
	['cost_usd', 'numeric'],
	['price_source', 'text'],
	['execution_id', 'text'],
	['workflow_id', 'text'],
];

/**
 * One statement for many rows: each column travels as one array parameter and `unnest` turns
 * them back into rows, so the statement's size does not grow with the number of rows.
 */
export const INSERT_USAGE_SQL = `
INSERT INTO llm_usage_log (${COLUMNS.map(([name]) => name).join(', ')})
SELECT * FROM unnest(${COLUMNS.map(([, type], i) => `$${i + 1}::${type}[]`).join(', ')})
ON CONFLICT (provider, request_id) WHERE request_id IS NOT NULL DO NOTHING`;

/** Rows per statement: large batches are split so no single parameter grows without bound. */
export const ROWS_PER_STATEMENT = 10_000;

/**
 * Writes the rows; the caller runs this inside one transaction so a batch is stored whole or not
 * at all. Returns how many rows were new (a request id already stored is skipped).
 */
export async function insertUsageRows(db: Queryable, rows: UsageRow[]): Promise<number> {
	let inserted = 0;
	for (let start = 0; start < rows.length; start += ROWS_PER_STATEMENT) {
		const chunk = rows.slice(start, start + ROWS_PER_STATEMENT);
		const values = COLUMNS.map(([name]) => chunk.map((row) => row[name] ?? null));
		const result = (await db.query(INSERT_USAGE_SQL, values)) as { rowCount?: number | null };
		inserted += result.rowCount ?? 0;
	}
	return inserted;
}

export const STATS = [
	'overview',
	'hourly',
	'daily',
	'topKeys',
	'topRoutes',
	'key',
	'route',
	'layers',
] as const;
export type StatsKind = (typeof STATS)[number];

const AVG = `round(sum(response_ms)::numeric / nullif(count(response_ms), 0), 1) AS avg_response_ms`;
const ERRORS = `count(*) FILTER (WHERE status_code >= 400 OR error_message IS NOT NULL)`;

/**
 * The rows of [$1, $2) widened to whole UTC hours or days, filtered on `logged_at` first so the
 * time index does the work on a large log (grouping a view of the whole log does not).
 */
const inWhole = (unit: 'hour' | 'day') => `
  FROM llm_usage_log
 WHERE logged_at >= date_trunc('${unit}', $1::timestamptz, 'UTC')
   AND logged_at < date_trunc('${unit}', $2::timestamptz - interval '1 microsecond', 'UTC') + interval '1 ${unit}'`;

/**
 * Spend per layer in [$1, $2) (whole UTC days): every team, organization, project or account
 * above the keys and tokens that spent (llm_quota_parents, a rotated key through its alias),
 * each request counted once in every layer above it.
 */
const LAYERS_SQL = `
WITH RECURSIVE spent AS (
	SELECT row_number() OVER () AS gid, key_hash, key_id, count(*)::bigint AS calls, ${ERRORS}::bigint AS errors,
	       sum(total_tokens)::bigint AS total_tokens, sum(cost_usd) AS cost_usd${inWhole('day')}
	 GROUP BY key_hash, key_id
),
subjects AS (
	SELECT DISTINCT s.gid, COALESCE(a.target_type, c.type) AS type, COALESCE(a.target_id, c.id) AS id
	  FROM spent s
	 CROSS JOIN LATERAL (VALUES ('token_hash', s.key_hash), ('key_hash', s.key_hash), ('key_id', s.key_id)) c (type, id)
	  LEFT JOIN llm_quota_aliases a ON a.subject_type = c.type AND a.subject_id = c.id
	 WHERE c.id IS NOT NULL
),
up (gid, type, id, depth) AS (
	SELECT s.gid, p.parent_type, p.parent_id, 1
	  FROM subjects s JOIN llm_quota_parents p ON p.subject_type = s.type AND p.subject_id = s.id
	UNION
	SELECT u.gid, p.parent_type, p.parent_id, u.depth + 1
	  FROM up u JOIN llm_quota_parents p ON p.subject_type = u.type AND p.subject_id = u.id
	 WHERE u.depth < ${MAX_LAYER_DEPTH - 1}
),
reached AS (SELECT DISTINCT gid, type, id FROM up)
SELECT r.type AS layer_type, r.id AS layer_id, sum(s.calls)::bigint AS calls, sum(s.errors)::bigint AS errors,
       sum(s.total_tokens)::bigint AS total_tokens, trim_scale(sum(s.cost_usd))::text AS cost_usd
  FROM reached r JOIN spent s ON s.gid = r.gid
 GROUP BY r.type, r.id
 ORDER BY sum(s.cost_usd) DESC NULLS LAST, r.type, r.id`;

/** Stats for [$1, $2), counting whole UTC hours (overview, hourly) or days (keys, routes). */
export const STATS_SQL: Record<StatsKind, string> = {
	overview: `
SELECT count(*)::bigint AS calls, ${ERRORS}::bigint AS errors, ${AVG},
       round(100 * (1 - ${ERRORS}::numeric / nullif(count(*), 0)), 2) AS success_rate_percent,
       sum(input_tokens)::bigint AS input_tokens, sum(output_tokens)::bigint AS output_tokens,
       sum(total_tokens)::bigint AS total_tokens, trim_scale(sum(cost_usd))::text AS cost_usd,
       count(*) FILTER (WHERE cost_usd IS NULL)::bigint AS unpriced_calls${inWhole('hour')}`,
	hourly: `
SELECT date_trunc('hour', logged_at, 'UTC') AS hour, count(*) AS calls, ${ERRORS} AS errors,
       sum(total_tokens) AS total_tokens, trim_scale(sum(cost_usd))::text AS cost_usd, ${AVG}${inWhole('hour')}
 GROUP BY 1 ORDER BY 1`,
	daily: `
SELECT to_char(date_trunc('day', logged_at, 'UTC'), 'YYYY-MM-DD') AS day, provider, count(*)::bigint AS calls,
       ${ERRORS}::bigint AS errors, sum(total_tokens)::bigint AS total_tokens,
       trim_scale(sum(cost_usd))::text AS cost_usd, ${AVG}${inWhole('day')}
 GROUP BY 1, 2 ORDER BY 1, 2`,
	topKeys: `
SELECT key_hash, max(key_id) AS key_id, max(key_name) AS key_name, count(*)::bigint AS calls,
       ${ERRORS}::bigint AS errors, sum(total_tokens)::bigint AS total_tokens,
       trim_scale(sum(cost_usd))::text AS cost_usd, ${AVG}${inWhole('day')}
 GROUP BY key_hash ORDER BY sum(cost_usd) DESC NULLS LAST, count(*) DESC LIMIT $3`,
	topRoutes: `
SELECT route, count(*)::bigint AS calls, ${ERRORS}::bigint AS errors,
       sum(total_tokens)::bigint AS total_tokens, trim_scale(sum(cost_usd))::text AS cost_usd, ${AVG}${inWhole('day')}
 GROUP BY route ORDER BY count(*) DESC LIMIT $3`,
	key: `
SELECT date_trunc('day', logged_at, 'UTC')::date AS day, key_hash, max(key_id) AS key_id,
       max(key_name) AS key_name, count(*) AS calls, ${ERRORS} AS errors,
       sum(input_tokens) AS input_tokens, sum(output_tokens) AS output_tokens, sum(total_tokens) AS total_tokens,
       trim_scale(sum(cost_usd))::text AS cost_usd, ${AVG}${inWhole('day')}
   AND (key_hash = $3 OR key_id = $3)
 GROUP BY 1, 2 ORDER BY 1`,
	route: `
SELECT date_trunc('day', logged_at, 'UTC')::date AS day, route, count(*) AS calls, ${ERRORS} AS errors,
       sum(total_tokens) AS total_tokens, trim_scale(sum(cost_usd))::text AS cost_usd, ${AVG}${inWhole('day')}
   AND route = $3
 GROUP BY 1, 2 ORDER BY 1`,
	layers: LAYERS_SQL,
};

/** The drift rows (Reconcile) of the UTC days of [$1, $2). */
export const DRIFT_SQL = `
SELECT to_char(day, 'YYYY-MM-DD') AS day, provider, api_key_id, trim_scale(metered_usd)::text AS metered_usd,
       trim_scale(billed_usd)::text AS billed_usd, trim_scale(difference_usd)::text AS difference_usd, status
  FROM llm_cost_drift
 WHERE day >= ($1::timestamptz AT TIME ZONE 'UTC')::date
   AND day <= (($2::timestamptz - interval '1 microsecond') AT TIME ZONE 'UTC')::date
 ORDER BY day, provider, api_key_id`;

export async function readDrift(
	db: Queryable,
	range: { start: Date; end: Date },
): Promise<Array<Record<string, unknown>>> {
	return (await db.query(DRIFT_SQL, [range.start.toISOString(), range.end.toISOString()])).rows;
}

export async function readStats(
	db: Queryable,
	kind: StatsKind,
	range: { start: Date; end: Date },
	extra?: string | number,
): Promise<Array<Record<string, unknown>>> {
	const params: unknown[] = [range.start.toISOString(), range.end.toISOString()];
	if (extra !== undefined) params.push(extra);
	return (await db.query(STATS_SQL[kind], params)).rows;
}
