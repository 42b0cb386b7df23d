/** Version 8: what the Gateway trigger hands its workflow (refusals, provider errors, quota, suspensions). */
export const name = 'gateway events';

export const sql = String.raw`
-- Written where a request is served (any n8n process that takes webhooks), in the transaction
-- that logs the request where there is one; read and deleted by the trigger's listener in the
-- process that runs the workflow's triggers, woken by NOTIFY keypilot_gateway_events (sent on
-- commit, payload: the workflow's id). Delivered at most once: deleted as they are emitted.
CREATE TABLE llm_gateway_events (
	id           bigserial   PRIMARY KEY,
	workflow_id  text        NOT NULL,
	node_id      text        NOT NULL,
	kind         text        NOT NULL
		CHECK (kind IN ('refused', 'provider_error', 'quota', 'suspended', 'request')),
	event        jsonb       NOT NULL,
	created_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX llm_gateway_events_pending ON llm_gateway_events (workflow_id, node_id, id);
`;
