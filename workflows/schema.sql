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
