/**
 * What the Gateway trigger hands its workflow: refusals, provider errors, quota crossings,
 * suspensions and, when asked, every request. A request is served in whichever n8n process took
 * it, while the workflow's trigger listens in the process that runs triggers (in queue mode, not
 * the same one): events go through Postgres, written in the transaction that logs the request
 * and announced by NOTIFY on commit. Pure: no n8n import; the caller passes the connection.
 */
import type { Queryable } from '../db';
import type { QuotaSubject, QuotaType } from '../quota/parse';

export const EVENTS_CHANNEL = 'keypilot_gateway_events';

/** The trigger's outputs, in order. */
export const EVENT_OUTPUTS = [
	'refused',
	'provider_error',
	'quota',
	'suspended',
	'request',
] as const;
export type EventKind = (typeof EVENT_OUTPUTS)[number];

/** Where an event goes: the workflow and trigger node that served the request. */
export interface EventTarget {
	workflowId: string;
	nodeId: string;
}

/** What every event says; never the caller's token, only its hash and name. */
export interface EventFacts {
	at: string;
	route: string;
	model: string | null;
	token_name: string | null;
	token_hash: string | null;
	client_ip: string | null;
}

export interface GatewayEvent {
	kind: EventKind;
	event: Record<string, unknown>;
}

const INSERT_EVENTS = `
WITH added AS (
	INSERT INTO llm_gateway_events (workflow_id, node_id, kind, event)
	SELECT $1, $2, e.kind, e.event
	  FROM jsonb_to_recordset($3::jsonb) AS e(kind text, event jsonb)
	RETURNING workflow_id
)
SELECT pg_notify('${EVENTS_CHANNEL}', $1) FROM (SELECT DISTINCT workflow_id FROM added) a`;

/** Records events for the trigger's listener; inside a transaction they are announced on commit. */
export async function recordEvents(
	db: Queryable,
	target: EventTarget,
	events: GatewayEvent[],
): Promise<void> {
	if (!events.length) return;
	await db.query(INSERT_EVENTS, [target.workflowId, target.nodeId, JSON.stringify(events)]);
}

/**
 * Quota crossing: $1 the layer's subject type, $2 its id, $8 its model pattern, $3 kind
 * (warning | exhausted), $4 used, $5 workflow, $6 node, $7 the event's facts. Claims the
 * crossing in llm_quota_alerts (one per quota, kind and period, shared with the scheduled quota
 * alerts) and records the event only when this statement claimed it.
 */
const QUOTA_CROSSING = `
WITH claimed AS (
	INSERT INTO llm_quota_alerts (subject_type, subject_id, models, kind, period_start, quota_used, quota_limit, quota_type)
	SELECT t.subject_type, t.subject_id, t.models, $3, t.period_start, $4::numeric, t.limit_amount, t.quota_type
	  FROM llm_quotas t
	 WHERE t.subject_type = $1 AND t.subject_id = $2 AND t.models = $8 AND t.kind = 'budget'
	ON CONFLICT DO NOTHING
	RETURNING subject_type, subject_id, models, kind, quota_type, quota_used, quota_limit, period_start
),
added AS (
	INSERT INTO llm_gateway_events (workflow_id, node_id, kind, event)
	SELECT $5, $6, 'quota', $7::jsonb || jsonb_build_object(
		'event', 'quota_' || c.kind,
		'subject_type', c.subject_type,
		'subject_id', c.subject_id,
		'models', NULLIF(c.models, ''),
		'quota_type', c.quota_type,
		'quota_used', CASE WHEN c.quota_type = 'tokens' THEN to_jsonb(c.quota_used) ELSE to_jsonb(c.quota_used::text) END,
		'quota_limit', CASE WHEN c.quota_type = 'tokens' THEN to_jsonb(c.quota_limit) ELSE to_jsonb(c.quota_limit::text) END,
		'period_start', c.period_start)
	  FROM claimed c
	RETURNING workflow_id
)
SELECT pg_notify('${EVENTS_CHANNEL}', workflow_id) FROM added`;

/** Records a quota crossing once per quota, kind and period; false when already told. */
export async function recordQuotaCrossing(
	db: Queryable,
	target: EventTarget,
	crossing: {
		/** The layer that crossed: its subject and model pattern ('' all models). */
		subject: QuotaSubject;
		models: string;
		kind: 'warning' | 'exhausted';
		used: string;
		type: QuotaType;
	},
	facts: EventFacts,
): Promise<boolean> {
	const { rows } = await db.query(QUOTA_CROSSING, [
		crossing.subject.type,
		crossing.subject.id,
		crossing.kind,
		crossing.used,
		target.workflowId,
		target.nodeId,
		JSON.stringify(facts),
		crossing.models,
	]);
	return rows.length > 0;
}

/** Takes up to `limit` pending events of one trigger, oldest first: each is delivered once. */
export async function claimEvents(
	db: Queryable,
	target: EventTarget,
	limit = 500,
): Promise<GatewayEvent[]> {
	const { rows } = await db.query<GatewayEvent>(
		`WITH taken AS (
			DELETE FROM llm_gateway_events
			 WHERE id IN (SELECT id FROM llm_gateway_events
			               WHERE workflow_id = $1 AND node_id = $2
			               ORDER BY id LIMIT $3 FOR UPDATE SKIP LOCKED)
			RETURNING id, kind, event
		)
		SELECT kind, event FROM taken ORDER BY id`,
		[target.workflowId, target.nodeId, limit],
	);
	return rows;
}

/** Events sorted onto the trigger's outputs, each output's items in the order they happened. */
export function byOutput(events: GatewayEvent[]): Array<Array<Record<string, unknown>>> {
	return EVENT_OUTPUTS.map((kind) =>
		events.filter((event) => event.kind === kind).map((event) => event.event),
	);
}
