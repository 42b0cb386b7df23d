/** Version 5: key rotations, and quota aliases that let a rotated key spend its old key's quota. */
export const name = 'key rotation';

export const sql = String.raw`
-- One row per rotation of a provider key or gateway token. status: 'create' until the new key is
-- recorded, 'grace' while both keys are valid, 'done' once the old key is revoked. A rotation whose
-- create was handed out and never recorded (a crash, a failed write) sweeps the provider for the
-- key it may have made (named new_key_name) before creating again. The old key is revoked only
-- after the new key's secret was delivered (delivered_at); a new key never delivered is revoked
-- and made again. leased_until keeps two runs from taking the same step at once.
CREATE TABLE llm_key_rotations (
	rotation_id    uuid        PRIMARY KEY,
	provider       text        NOT NULL CHECK (provider IN ('openai', 'openrouter', 'volcengine', 'gateway')),
	old_key_id     text        NOT NULL,
	new_key_id     text,
	new_key_name   text        NOT NULL,
	reason         text        NOT NULL CHECK (reason IN ('age', 'on_demand')),
	status         text        NOT NULL DEFAULT 'create' CHECK (status IN ('create', 'grace', 'done')),
	grace_seconds  integer     NOT NULL CHECK (grace_seconds >= 0),
	grace_until    timestamptz,
	sweep_needed   boolean     NOT NULL DEFAULT false,
	leased_until   timestamptz,
	attempts       integer     NOT NULL DEFAULT 0,
	started_at     timestamptz NOT NULL DEFAULT now(),
	recorded_at    timestamptz,
	delivered_at   timestamptz,
	revoked_at     timestamptz,
	updated_at     timestamptz NOT NULL DEFAULT now()
);
-- At most one open rotation per key, whatever runs at once.
CREATE UNIQUE INDEX llm_key_rotations_open_idx ON llm_key_rotations (provider, old_key_id) WHERE status <> 'done';

-- A subject whose quota is another subject's row: a rotated key's ID, hash or token hash points
-- at its old key's quota, so both keys spend one budget during the grace period and after.
CREATE TABLE llm_quota_aliases (
	subject_type  text        NOT NULL,
	subject_id    text        NOT NULL,
	target_type   text        NOT NULL,
	target_id     text        NOT NULL,
	rotation_id   uuid        REFERENCES llm_key_rotations (rotation_id) ON DELETE SET NULL,
	created_at    timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (subject_type, subject_id),
	CHECK ((subject_type, subject_id) <> (target_type, target_id))
);
`;
