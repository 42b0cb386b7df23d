/**
 * Version 1: the schema as it was before migrations existed (formerly workflows/schema.sql). A
 * database that already has it is upgraded by running it again: every statement is idempotent.
 */
export const name = 'initial';

export const sql = String.raw`
-- n8n-nodes-keypilot: tables the workflows and nodes write. Safe to run any number of times.
-- Money is NUMERIC without a fixed scale: stored exactly as the provider reported it, never float. Text keys use '' (not NULL) for "none" so upserts match.

-- Every provider key we know of. The secret itself is never stored: only its SHA-256 hash
-- and the redacted form the provider shows.
CREATE TABLE IF NOT EXISTS llm_api_keys (
	provider        text        NOT NULL,
	key_id          text        NOT NULL,
	name            text,
	redacted_value  text,
	key_hash        text,
	project_id      text        NOT NULL DEFAULT '',
	owner_type      text,
	owner_id        text,
	status          text        NOT NULL DEFAULT 'active',
	created_at      timestamptz,
	last_used_at    timestamptz,
	expires_at      timestamptz,
	metadata        jsonb       NOT NULL DEFAULT '{}'::jsonb,
	first_seen_at   timestamptz NOT NULL DEFAULT now(),
	synced_at       timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (provider, key_id)
);
CREATE INDEX IF NOT EXISTS llm_api_keys_key_hash_idx ON llm_api_keys (key_hash) WHERE key_hash IS NOT NULL;

-- Snapshots of a key's usage and limits as the provider reports them.
CREATE TABLE IF NOT EXISTS llm_api_key_usage (
	provider        text           NOT NULL,
	key_id          text           NOT NULL,
	snapshot_at     timestamptz    NOT NULL,
	period_start    timestamptz,
	period_end      timestamptz,
	requests        bigint,
	input_tokens    bigint,
	output_tokens   bigint,
	cached_tokens   bigint,
	cost_usd        numeric,
	limit_usd       numeric,
	limit_remaining numeric,
	metadata        jsonb          NOT NULL DEFAULT '{}'::jsonb,
	PRIMARY KEY (provider, key_id, snapshot_at)
);

CREATE OR REPLACE VIEW llm_api_key_latest_usage AS
SELECT DISTINCT ON (provider, key_id) *
FROM llm_api_key_usage
ORDER BY provider, key_id, snapshot_at DESC;

-- Daily cost per provider, account, project/workspace, line item and key, as billed.
-- A sync upserts on the primary key, so running it again rewrites the same rows.
CREATE TABLE IF NOT EXISTS llm_cost_daily (
	provider      text            NOT NULL,
	account_id    text            NOT NULL DEFAULT '',
	project_id    text            NOT NULL DEFAULT '',
	project_name  text,
	line_item     text            NOT NULL DEFAULT '',
	api_key_id    text            NOT NULL DEFAULT '',
	cost_date     date            NOT NULL,
	amount        numeric     NOT NULL,
	currency      text            NOT NULL DEFAULT 'usd',
	synced_at     timestamptz     NOT NULL DEFAULT now(),
	PRIMARY KEY (provider, account_id, project_id, line_item, api_key_id, cost_date)
);
CREATE INDEX IF NOT EXISTS llm_cost_daily_date_idx ON llm_cost_daily (cost_date);

-- Account balances as the provider reports them: one row per account and UTC day, the day's
-- latest reading.
CREATE TABLE IF NOT EXISTS llm_account_balance (
	provider           text        NOT NULL,
	account_id         text        NOT NULL DEFAULT '',
	balance_date       date        NOT NULL,
	available_balance  numeric,
	cash_balance       numeric,
	credit_limit       numeric,
	arrears_balance    numeric,
	frozen_amount      numeric,
	currency           text        NOT NULL,
	observed_at        timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (provider, account_id, balance_date)
);

-- A month's bill per product and billing mode, as billed (amount = payable amount). A month
-- still open is rewritten by every sync until it closes.
CREATE TABLE IF NOT EXISTS llm_cost_monthly (
	provider         text        NOT NULL,
	account_id       text        NOT NULL DEFAULT '',
	bill_period      text        NOT NULL CHECK (bill_period ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'),
	product          text        NOT NULL DEFAULT '',
	product_name     text,
	billing_mode     text        NOT NULL DEFAULT '',
	amount           numeric     NOT NULL,
	original_amount  numeric,
	currency         text        NOT NULL,
	synced_at        timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (provider, account_id, bill_period, product, billing_mode)
);

-- Start of a quota's current period in UTC ('daily', 'weekly' from Monday, 'monthly'); for
-- 'none' the period never rolls over and its start stays "p_since".
CREATE OR REPLACE FUNCTION keypilot_period_start(p_period text, p_since timestamptz) RETURNS timestamptz
LANGUAGE sql STABLE AS $$
	SELECT COALESCE(CASE p_period
		WHEN 'daily' THEN date_trunc('day', now(), 'UTC')
		WHEN 'weekly' THEN date_trunc('week', now(), 'UTC')
		WHEN 'monthly' THEN date_trunc('month', now(), 'UTC')
	END, p_since)
$$;

-- Quotas per subject: a key by ID or by SHA-256 hash, an internal gateway token, a project or a
-- whole provider account. limit_amount 0 means unlimited. "used" is settled usage in the current
-- period; "reserved" is what requests in flight hold. The Quota Check node changes both only in
-- single statements that lock the row, so they stay right with any number of n8n workers.
CREATE TABLE IF NOT EXISTS llm_quotas (
	subject_type     text        NOT NULL,
	subject_id       text        NOT NULL,
	quota_type       text        NOT NULL CHECK (quota_type IN ('tokens', 'usd')),
	limit_amount     numeric     NOT NULL CHECK (limit_amount >= 0),
	period           text        NOT NULL DEFAULT 'none' CHECK (period IN ('none', 'daily', 'weekly', 'monthly')),
	warning_percent  numeric     CHECK (warning_percent > 0 AND warning_percent <= 100),
	used             numeric     NOT NULL DEFAULT 0,
	reserved         numeric     NOT NULL DEFAULT 0,
	period_start     timestamptz NOT NULL DEFAULT now(),
	created_at       timestamptz NOT NULL DEFAULT now(),
	updated_at       timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (subject_type, subject_id)
);

-- Amounts held by requests in flight until settled; a reservation never settled stops holding
-- quota at expires_at (status 'expired'), and is deleted a week later.
CREATE TABLE IF NOT EXISTS llm_quota_reservations (
	reservation_id  uuid        PRIMARY KEY,
	subject_type    text        NOT NULL,
	subject_id      text        NOT NULL,
	amount          numeric     NOT NULL CHECK (amount >= 0),
	status          text        NOT NULL DEFAULT 'held' CHECK (status IN ('held', 'expired')),
	created_at      timestamptz NOT NULL DEFAULT now(),
	expires_at      timestamptz NOT NULL,
	FOREIGN KEY (subject_type, subject_id) REFERENCES llm_quotas (subject_type, subject_id) ON DELETE CASCADE
);
CREATE INDEX IF NOT EXISTS llm_quota_reservations_subject_idx
	ON llm_quota_reservations (subject_type, subject_id, status, expires_at);

-- One row per LLM request, written by the Usage Logger node. The raw API key is never stored:
-- key_hash is its SHA-256. cost_usd is NULL when the model's price is unknown (never 0).
CREATE TABLE IF NOT EXISTS llm_usage_log (
	id                     bigserial       PRIMARY KEY,
	logged_at              timestamptz     NOT NULL DEFAULT now(),
	provider               text            NOT NULL,
	api_flavor             text,
	model                  text,
	request_id             text,
	key_hash               text,
	key_id                 text,
	key_name               text,
	route                  text,
	http_method            text,
	status_code            integer,
	response_ms            integer,
	client_ip              text,
	user_agent             text,
	error_message          text,
	input_tokens           bigint,
	output_tokens          bigint,
	cache_read_tokens      bigint,
	cache_write_5m_tokens  bigint,
	cache_write_1h_tokens  bigint,
	reasoning_tokens       bigint,
	total_tokens           bigint,
	usage_complete         boolean         NOT NULL DEFAULT true,
	streamed               boolean         NOT NULL DEFAULT false,
	cost_usd               numeric(38, 18),
	price_source           text,
	execution_id           text
);
CREATE INDEX IF NOT EXISTS llm_usage_log_key_time_idx ON llm_usage_log (key_hash, logged_at);
CREATE INDEX IF NOT EXISTS llm_usage_log_time_idx ON llm_usage_log (logged_at);
CREATE INDEX IF NOT EXISTS llm_usage_log_route_idx ON llm_usage_log (route, logged_at);
-- A request logged twice (an execution run again) is stored once.
CREATE UNIQUE INDEX IF NOT EXISTS llm_usage_log_request_idx
	ON llm_usage_log (provider, request_id) WHERE request_id IS NOT NULL;

-- Aggregates the Usage Logger's Get Stats reads. "Errors" are requests with a status of 400 or
-- more or an error message.
CREATE OR REPLACE VIEW llm_usage_hourly AS
SELECT date_trunc('hour', logged_at, 'UTC') AS hour,
       count(*) AS calls,
       count(*) FILTER (WHERE status_code >= 400 OR error_message IS NOT NULL) AS errors,
       sum(input_tokens) AS input_tokens, sum(output_tokens) AS output_tokens,
       sum(cache_read_tokens) AS cache_read_tokens,
       sum(coalesce(cache_write_5m_tokens, 0) + coalesce(cache_write_1h_tokens, 0)) AS cache_write_tokens,
       sum(total_tokens) AS total_tokens, sum(cost_usd) AS cost_usd,
       count(*) FILTER (WHERE cost_usd IS NULL) AS unpriced_calls,
       sum(response_ms) AS response_ms_sum, count(response_ms) AS response_ms_count
  FROM llm_usage_log
 GROUP BY 1;

CREATE OR REPLACE VIEW llm_usage_key_daily AS
SELECT date_trunc('day', logged_at, 'UTC')::date AS day, key_hash,
       max(key_id) AS key_id, max(key_name) AS key_name, max(provider) AS provider,
       count(*) AS calls,
       count(*) FILTER (WHERE status_code >= 400 OR error_message IS NOT NULL) AS errors,
       sum(input_tokens) AS input_tokens, sum(output_tokens) AS output_tokens,
       sum(total_tokens) AS total_tokens, sum(cost_usd) AS cost_usd,
       sum(response_ms) AS response_ms_sum, count(response_ms) AS response_ms_count
  FROM llm_usage_log
 GROUP BY 1, 2;

CREATE OR REPLACE VIEW llm_usage_key_monthly AS
SELECT date_trunc('month', day)::date AS month, key_hash, max(key_id) AS key_id,
       max(key_name) AS key_name, sum(calls) AS calls, sum(errors) AS errors,
       sum(input_tokens) AS input_tokens, sum(output_tokens) AS output_tokens,
       sum(total_tokens) AS total_tokens, sum(cost_usd) AS cost_usd
  FROM llm_usage_key_daily
 GROUP BY 1, 2;

CREATE OR REPLACE VIEW llm_usage_key_totals AS
SELECT key_hash, max(key_id) AS key_id, max(key_name) AS key_name, count(*) AS calls,
       count(*) FILTER (WHERE status_code >= 400 OR error_message IS NOT NULL) AS errors,
       sum(total_tokens) AS total_tokens, sum(cost_usd) AS cost_usd,
       min(logged_at) AS first_call_at, max(logged_at) AS last_call_at
  FROM llm_usage_log
 GROUP BY key_hash;

CREATE OR REPLACE VIEW llm_usage_route_daily AS
SELECT date_trunc('day', logged_at, 'UTC')::date AS day, route, count(*) AS calls,
       count(*) FILTER (WHERE status_code >= 400 OR error_message IS NOT NULL) AS errors,
       sum(total_tokens) AS total_tokens, sum(cost_usd) AS cost_usd,
       sum(response_ms) AS response_ms_sum, count(response_ms) AS response_ms_count
  FROM llm_usage_log
 GROUP BY 1, 2;

CREATE OR REPLACE VIEW llm_usage_top_keys AS
SELECT * FROM llm_usage_key_totals ORDER BY cost_usd DESC NULLS LAST, calls DESC;

CREATE OR REPLACE VIEW llm_usage_top_routes AS
SELECT route, sum(calls) AS calls, sum(errors) AS errors, sum(total_tokens) AS total_tokens,
       sum(cost_usd) AS cost_usd
  FROM llm_usage_route_daily GROUP BY route ORDER BY calls DESC;

CREATE OR REPLACE VIEW llm_usage_overview AS
SELECT sum(calls) AS calls, sum(errors) AS errors,
       round(sum(response_ms_sum)::numeric / nullif(sum(response_ms_count), 0), 1) AS avg_response_ms,
       round(100 * (1 - sum(errors)::numeric / nullif(sum(calls), 0)), 2) AS success_rate_percent,
       sum(total_tokens) AS total_tokens, sum(cost_usd) AS cost_usd
  FROM llm_usage_hourly;

-- Internal tokens for the metered gateway and the key-creation webhook. The token itself is
-- returned once when minted and never stored: only its SHA-256 (hex), a redacted form, what it
-- may do (scopes 'gateway' and/or 'keys:create'), where (routes, models; empty = any) and the
-- upstream it is sent to.
-- Upstreams the gateway may send a provider key to, by name. Only the n8n owner (whoever can write
-- to this database) adds them: a token names one, so nobody holding a token, nor anyone who may
-- mint tokens through the key webhook, can point the gateway and its provider key elsewhere.
CREATE TABLE IF NOT EXISTS llm_upstreams (
	name        text        PRIMARY KEY,
	url         text        NOT NULL CHECK (url ~ '^https?://'),
	created_at  timestamptz NOT NULL DEFAULT now()
);
INSERT INTO llm_upstreams (name, url) VALUES ('openai', 'https://api.openai.com/v1')
ON CONFLICT (name) DO NOTHING;

CREATE TABLE IF NOT EXISTS llm_gateway_tokens (
	token_hash      text        PRIMARY KEY,
	name            text        NOT NULL,
	redacted_value  text        NOT NULL,
	scopes          text[]      NOT NULL DEFAULT '{gateway}',
	allowed_routes  text[]      NOT NULL DEFAULT '{}',
	allowed_models  text[]      NOT NULL DEFAULT '{}',
	upstream_url    text        NOT NULL DEFAULT 'https://api.openai.com/v1',
	status          text        NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'revoked')),
	created_at      timestamptz NOT NULL DEFAULT now(),
	revoked_at      timestamptz
);
-- A token's upstream by name. Tokens made before names existed keep their URL only if it is
-- OpenAI's; any other URL is left unnamed, so the gateway refuses them until the owner decides.
ALTER TABLE llm_gateway_tokens ADD COLUMN IF NOT EXISTS upstream text REFERENCES llm_upstreams (name);
UPDATE llm_gateway_tokens SET upstream = 'openai'
 WHERE upstream IS NULL AND upstream_url = 'https://api.openai.com/v1';

-- The hash by which a token is known, from the token or an "Authorization: Bearer …" value
-- (the same rule as the nodes' key hash: a leading "Bearer " and surrounding spaces ignored).
CREATE OR REPLACE FUNCTION keypilot_token_hash(p_token text) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
	SELECT encode(sha256(convert_to(btrim(regexp_replace(btrim(coalesce(p_token, '')), '^bearer\s+', '', 'i')), 'UTF8')), 'hex')
$$;

-- Whether a token (or Authorization value) is active and holds a scope.
CREATE OR REPLACE FUNCTION keypilot_token_has_scope(p_token text, p_scope text) RETURNS boolean
LANGUAGE sql STABLE AS $$
	SELECT EXISTS (
		SELECT 1 FROM llm_gateway_tokens
		 WHERE token_hash = keypilot_token_hash(p_token) AND status = 'active' AND p_scope = ANY(scopes)
	)
$$;

-- Mints a token (244 random bits from two UUIDv4s, prefixed "kp_"), stores its hash and returns the
-- token once: SELECT * FROM keypilot_mint_token('ci-bot', '{gateway}'). Its upstream is a name in
-- llm_upstreams ('openai' by default); an unknown name is refused.
DROP FUNCTION IF EXISTS keypilot_mint_token(text, text[], text[], text[], text);
CREATE FUNCTION keypilot_mint_token(
	p_name text,
	p_scopes text[] DEFAULT '{gateway}',
	p_routes text[] DEFAULT '{}',
	p_models text[] DEFAULT '{}',
	p_upstream text DEFAULT 'openai'
) RETURNS TABLE (token text, token_hash text, redacted_value text)
LANGUAGE plpgsql AS $$
DECLARE
	v_token text := 'kp_' || replace(gen_random_uuid()::text, '-', '') || replace(gen_random_uuid()::text, '-', '');
	v_hash text := keypilot_token_hash(v_token);
	v_redacted text := left(v_token, 7) || '…' || right(v_token, 4);
	v_url text;
BEGIN
	-- The same rule as the key webhook: names end up in reports and CSV files.
	IF p_name IS NULL OR p_name !~ '^[^[:cntrl:]]{1,100}$' THEN
		RAISE EXCEPTION 'token name must be 1 to 100 characters without control characters'
			USING ERRCODE = '22023';
	END IF;
	SELECT u.url INTO v_url FROM llm_upstreams u WHERE u.name = coalesce(p_upstream, 'openai');
	IF v_url IS NULL THEN
		RAISE EXCEPTION 'upstream "%" is not configured: add it to llm_upstreams first', p_upstream
			USING ERRCODE = '22023';
	END IF;
	INSERT INTO llm_gateway_tokens (token_hash, name, redacted_value, scopes, allowed_routes, allowed_models, upstream_url, upstream)
	VALUES (v_hash, p_name, v_redacted, p_scopes, coalesce(p_routes, '{}'), coalesce(p_models, '{}'), v_url, coalesce(p_upstream, 'openai'));
	RETURN QUERY SELECT v_token, v_hash, v_redacted;
END;
$$;

-- Alerts already sent: one per subject, kind (warning or exhausted) and quota period, so the
-- alert workflow tells each crossing once.
CREATE TABLE IF NOT EXISTS llm_quota_alerts (
	subject_type  text        NOT NULL,
	subject_id    text        NOT NULL,
	kind          text        NOT NULL CHECK (kind IN ('warning', 'exhausted')),
	period_start  timestamptz NOT NULL,
	quota_used    numeric     NOT NULL,
	quota_limit   numeric     NOT NULL,
	quota_type    text        NOT NULL,
	alerted_at    timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (subject_type, subject_id, kind, period_start)
);
`;
