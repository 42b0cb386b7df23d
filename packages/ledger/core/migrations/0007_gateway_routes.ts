/** Version 7: upstreams that speak Anthropic's API, part ceilings, and keys suspended on over-report. */
export const name = 'gateway routes';

export const sql = String.raw`
-- Which API an upstream speaks: 'openai' (Chat Completions, Responses, embeddings, models: OpenAI,
-- Azure OpenAI, OpenRouter, Volcengine Ark) or 'anthropic' (Messages). A gateway route is served
-- only by an upstream that speaks its API.
ALTER TABLE llm_upstreams ADD COLUMN api text NOT NULL DEFAULT 'openai' CHECK (api IN ('openai', 'anthropic'));
UPDATE llm_upstreams SET api = 'anthropic' WHERE url ~ '^https?://([^/]*\.)?anthropic\.com(/|$)';
-- Tokens a part counts for at most, by part type (e.g. {"image_url": 1600}), for parts whose size
-- in tokens cannot be bounded from their bytes, where the upstream has no counter of its own.
-- Empty: such parts are refused unless the upstream counts them.
ALTER TABLE llm_upstreams ADD COLUMN part_token_ceilings jsonb NOT NULL DEFAULT '{}'
	CHECK (jsonb_typeof(part_token_ceilings) = 'object');
INSERT INTO llm_upstreams (name, url, api) VALUES ('anthropic', 'https://api.anthropic.com/v1', 'anthropic')
ON CONFLICT (name) DO NOTHING;

-- A token whose provider reported more than the request could use is suspended: nothing more is
-- admitted until an operator lifts it (KeyPilot Ledger: Gateway Token, Lift Suspension).
ALTER TABLE llm_gateway_tokens ADD COLUMN suspended_at timestamptz;
ALTER TABLE llm_gateway_tokens ADD COLUMN suspended_reason text;

-- Each time a provider reported more tokens than the request's proven bound: the bill is charged
-- as reported, and the token suspended.
CREATE TABLE llm_bound_violations (
	id               bigserial   PRIMARY KEY,
	logged_at        timestamptz NOT NULL DEFAULT now(),
	key_hash         text        NOT NULL,
	key_name         text,
	route            text        NOT NULL,
	model            text,
	request_id       text,
	bound_tokens     bigint      NOT NULL,
	reported_tokens  bigint      NOT NULL,
	lifted_at        timestamptz
);
CREATE INDEX llm_bound_violations_key ON llm_bound_violations (key_hash, logged_at);
`;
