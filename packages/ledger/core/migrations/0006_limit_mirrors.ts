/** Version 6: quotas mirrored to a provider's own limit (OpenRouter keys, OpenAI projects). */
export const name = 'limit mirrors';

export const sql = String.raw`
-- A quota whose limit is also set at the provider, so the provider refuses traffic that bypasses
-- the gateway. pushed_* is what the ledger last set and read back; observed_* what the provider
-- held at the last read; hand_change_* a limit someone set at the provider by hand (told once).
-- policy 'restore' sets ours again after a hand change, 'report' only tells.
CREATE TABLE llm_limit_mirrors (
	target             text        NOT NULL CHECK (target IN ('openrouter_key', 'openai_project')),
	target_id          text        NOT NULL,
	subject_type       text        NOT NULL,
	subject_id         text        NOT NULL,
	policy             text        NOT NULL DEFAULT 'restore' CHECK (policy IN ('restore', 'report')),
	pushed_limit       numeric,
	pushed_reset       text,
	pushed_at          timestamptz,
	observed_limit     numeric,
	observed_reset     text,
	observed_at        timestamptz,
	hand_change_limit  numeric,
	hand_change_reset  text,
	hand_change_at     timestamptz,
	created_at         timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (target, target_id),
	FOREIGN KEY (subject_type, subject_id) REFERENCES llm_quotas (subject_type, subject_id) ON DELETE CASCADE
);
`;
