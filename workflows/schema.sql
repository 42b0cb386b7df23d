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

-- Quotas per subject: a key by ID or by SHA-256 hash, an internal gateway token, a project or a
-- whole provider account. limit_amount 0 means unlimited. `used` is settled usage in the current
-- period; `reserved` is what requests in flight hold. The Quota Check node changes both only in
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
