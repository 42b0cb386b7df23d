/** Version 4: the drift between metered and billed cost, per provider, API key and UTC day. */
export const name = 'cost drift';

export const sql = String.raw`
-- What we metered (llm_usage_log) against what the provider billed (llm_costs), per provider, API
-- key and UTC day. api_key_id '' holds billed spend that belongs to no key we know. difference_usd
-- is billed minus metered; difference_percent is that share of the billed amount.
CREATE TABLE llm_cost_drift (
	provider            text        NOT NULL,
	api_key_id          text        NOT NULL,
	day                 date        NOT NULL,
	metered_usd         numeric     NOT NULL,
	billed_usd          numeric     NOT NULL,
	difference_usd      numeric     NOT NULL,
	difference_percent  numeric,
	status              text        NOT NULL CHECK (status IN ('matched', 'over', 'under', 'unattributed', 'open')),
	tolerance_percent   numeric     NOT NULL,
	reconciled_at       timestamptz NOT NULL DEFAULT now(),
	alerted_at          timestamptz,
	PRIMARY KEY (provider, api_key_id, day)
);
CREATE INDEX llm_cost_drift_status_idx ON llm_cost_drift (status, day);
`;
