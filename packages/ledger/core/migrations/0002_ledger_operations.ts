/**
 * Version 2: one row shape for billed costs (llm_costs, with the old tables kept as views), and one
 * meaning for every token column: input_tokens is input neither read from nor written to a cache,
 * in key usage snapshots as in the per-request log.
 */
export const name = 'normalized costs and token columns';

export const sql = String.raw`
-- Every provider's billed cost in one shape: one line item of one day or month, in an account and
-- a scope (OpenAI project, Anthropic workspace), for one API key when the provider says which.
CREATE TABLE llm_costs (
	provider         text        NOT NULL,
	account_id       text        NOT NULL DEFAULT '',
	scope_type       text        NOT NULL DEFAULT '',
	scope_id         text        NOT NULL DEFAULT '',
	scope_name       text,
	period           text        NOT NULL CHECK (period IN ('day', 'month')),
	period_start     date        NOT NULL CHECK (period = 'day' OR extract(day FROM period_start) = 1),
	line_item        text        NOT NULL DEFAULT '',
	line_item_name   text,
	api_key_id       text        NOT NULL DEFAULT '',
	billing_mode     text        NOT NULL DEFAULT '',
	amount           numeric     NOT NULL,
	original_amount  numeric,
	currency         text        NOT NULL,
	synced_at        timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (provider, account_id, scope_id, period, period_start, line_item, api_key_id, billing_mode)
);
CREATE INDEX llm_costs_period_idx ON llm_costs (period_start);
CREATE INDEX llm_costs_key_idx ON llm_costs (provider, api_key_id, period_start) WHERE api_key_id <> '';

INSERT INTO llm_costs (provider, account_id, scope_type, scope_id, scope_name, period, period_start,
                       line_item, api_key_id, amount, currency, synced_at)
SELECT provider, account_id,
       CASE WHEN project_id = '' THEN '' WHEN provider = 'anthropic' THEN 'workspace' ELSE 'project' END,
       project_id, project_name, 'day', cost_date, line_item, api_key_id, amount, upper(currency), synced_at
  FROM llm_cost_daily;

INSERT INTO llm_costs (provider, account_id, period, period_start, line_item, line_item_name,
                       billing_mode, amount, original_amount, currency, synced_at)
SELECT provider, account_id, 'month', to_date(bill_period || '-01', 'YYYY-MM-DD'), product, product_name,
       billing_mode, amount, original_amount, upper(currency), synced_at
  FROM llm_cost_monthly;

DROP TABLE llm_cost_daily;
DROP TABLE llm_cost_monthly;

-- The former tables, for queries and dashboards written against them.
CREATE VIEW llm_cost_daily AS
SELECT provider, account_id, scope_id AS project_id, scope_name AS project_name, line_item, api_key_id,
       period_start AS cost_date, amount, currency, synced_at
  FROM llm_costs WHERE period = 'day';

CREATE VIEW llm_cost_monthly AS
SELECT provider, account_id, to_char(period_start, 'YYYY-MM') AS bill_period, line_item AS product,
       line_item_name AS product_name, billing_mode, amount, original_amount, currency, synced_at
  FROM llm_costs WHERE period = 'month';

-- Key usage snapshots count tokens as llm_usage_log does. Anthropic snapshots stored input plus
-- cache writes in input_tokens; the parts were kept in metadata, so they are split again here.
DROP VIEW llm_api_key_latest_usage;
ALTER TABLE llm_api_key_usage RENAME COLUMN cached_tokens TO cache_read_tokens;
ALTER TABLE llm_api_key_usage ADD COLUMN cache_write_5m_tokens bigint, ADD COLUMN cache_write_1h_tokens bigint;
UPDATE llm_api_key_usage
   SET input_tokens = (metadata->>'uncached_input_tokens')::bigint,
       cache_write_5m_tokens = (metadata->>'cache_creation_5m_input_tokens')::bigint,
       cache_write_1h_tokens = (metadata->>'cache_creation_1h_input_tokens')::bigint
 WHERE provider = 'anthropic' AND metadata ? 'uncached_input_tokens';

CREATE VIEW llm_api_key_latest_usage AS
SELECT DISTINCT ON (provider, key_id) *
  FROM llm_api_key_usage
 ORDER BY provider, key_id, snapshot_at DESC;

COMMENT ON COLUMN llm_usage_log.input_tokens IS 'Input tokens neither read from nor written to a cache';
COMMENT ON COLUMN llm_api_key_usage.input_tokens IS 'Input tokens neither read from nor written to a cache';
COMMENT ON COLUMN llm_api_key_usage.cache_read_tokens IS 'Input tokens read from a cache';
`;
