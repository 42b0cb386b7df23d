/**
 * Version 13: layered budgets: a quota subject inside a parent, quotas for some models only, and
 * request-rate, token-rate and concurrency limits held beside budgets.
 */
export const name = 'quota layers';

export const sql = String.raw`
-- A subject inside another: a gateway token in a team, a team in an organization, a key in a
-- project. A request spends on its subject and on every ancestor that has a quota, all or none.
-- Cycles are refused when a parent is set; the statements follow at most 8 levels.
CREATE TABLE llm_quota_parents (
	subject_type  text        NOT NULL,
	subject_id    text        NOT NULL,
	parent_type   text        NOT NULL,
	parent_id     text        NOT NULL,
	created_at    timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (subject_type, subject_id),
	CHECK ((subject_type, subject_id) <> (parent_type, parent_id))
);
CREATE INDEX llm_quota_parents_parent_idx ON llm_quota_parents (parent_type, parent_id);

-- Whether a quota's model pattern covers a model: '' covers every request, 'claude-opus-*' the
-- models it names ('*' any run of characters). A request with no model meets only '' quotas.
CREATE FUNCTION keypilot_model_matches(pattern text, model text) RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
	SELECT pattern = '' OR model LIKE replace(replace(replace(replace(pattern,
		'\', '\\'), '%', '\%'), '_', '\_'), '*', '%')
$$;

-- A subject may now hold several quotas: per model pattern, and of each kind. 'budget' is a
-- limit in tokens or USD per period, as before. The rate kinds are held in the same statements:
-- 'requests_per_minute' and 'tokens_per_minute' by GCRA (tat, the theoretical arrival time: a
-- request fits while tat, advanced by its share of the minute, stays within a minute of now),
-- 'concurrent' by what requests in flight hold (reserved). quota_id names a quota row for
-- reservations and gives every statement one fixed order to lock rows in.
ALTER TABLE llm_limit_mirrors DROP CONSTRAINT llm_limit_mirrors_subject_type_subject_id_fkey;
ALTER TABLE llm_quota_reservations DROP CONSTRAINT llm_quota_reservations_subject_type_subject_id_fkey;
ALTER TABLE llm_quotas ADD COLUMN models text NOT NULL DEFAULT '';
ALTER TABLE llm_quotas ADD COLUMN kind text NOT NULL DEFAULT 'budget';
ALTER TABLE llm_quotas ADD COLUMN tat timestamptz;
ALTER TABLE llm_quotas DROP CONSTRAINT llm_quotas_quota_type_check;
ALTER TABLE llm_quotas ADD CONSTRAINT llm_quotas_kind_check CHECK (
	(kind = 'budget' AND quota_type IN ('tokens', 'usd'))
	OR (kind IN ('requests_per_minute', 'concurrent') AND quota_type = 'requests' AND period = 'none' AND limit_amount > 0)
	OR (kind = 'tokens_per_minute' AND quota_type = 'tokens' AND period = 'none' AND limit_amount > 0));
ALTER TABLE llm_quotas ADD COLUMN quota_id bigint GENERATED ALWAYS AS IDENTITY;
ALTER TABLE llm_quotas DROP CONSTRAINT llm_quotas_pkey;
ALTER TABLE llm_quotas ADD PRIMARY KEY (quota_id);
ALTER TABLE llm_quotas ADD CONSTRAINT llm_quotas_subject_models_kind_key UNIQUE (subject_type, subject_id, models, kind);

-- A limit mirror pushes a subject's budget for all models.
ALTER TABLE llm_limit_mirrors ADD COLUMN models text NOT NULL DEFAULT '' CHECK (models = '');
ALTER TABLE llm_limit_mirrors ADD COLUMN kind text NOT NULL DEFAULT 'budget' CHECK (kind = 'budget');
ALTER TABLE llm_limit_mirrors ADD FOREIGN KEY (subject_type, subject_id, models, kind)
	REFERENCES llm_quotas (subject_type, subject_id, models, kind) ON DELETE CASCADE;

-- One reservation holds one row per layer it spends on (quota_id), each in that layer's unit;
-- origin_* is the subject that made it, the one that may settle it.
ALTER TABLE llm_quota_reservations ADD COLUMN quota_id bigint;
ALTER TABLE llm_quota_reservations ADD COLUMN origin_type text;
ALTER TABLE llm_quota_reservations ADD COLUMN origin_id text;
UPDATE llm_quota_reservations r
   SET quota_id = q.quota_id, origin_type = r.subject_type, origin_id = r.subject_id
  FROM llm_quotas q
 WHERE q.subject_type = r.subject_type AND q.subject_id = r.subject_id;
DELETE FROM llm_quota_reservations WHERE quota_id IS NULL;
ALTER TABLE llm_quota_reservations ALTER COLUMN quota_id SET NOT NULL;
ALTER TABLE llm_quota_reservations ALTER COLUMN origin_type SET NOT NULL;
ALTER TABLE llm_quota_reservations ALTER COLUMN origin_id SET NOT NULL;
ALTER TABLE llm_quota_reservations ADD FOREIGN KEY (quota_id) REFERENCES llm_quotas (quota_id) ON DELETE CASCADE;
ALTER TABLE llm_quota_reservations DROP CONSTRAINT llm_quota_reservations_pkey;
ALTER TABLE llm_quota_reservations ADD PRIMARY KEY (reservation_id, quota_id);
DROP INDEX llm_quota_reservations_subject_idx;
CREATE INDEX llm_quota_reservations_quota_idx ON llm_quota_reservations (quota_id, status, expires_at);

-- Alerts are told per quota: a team's model budget crosses its threshold apart from the team's.
ALTER TABLE llm_quota_alerts ADD COLUMN models text NOT NULL DEFAULT '';
ALTER TABLE llm_quota_alerts DROP CONSTRAINT llm_quota_alerts_pkey;
ALTER TABLE llm_quota_alerts ADD PRIMARY KEY (subject_type, subject_id, models, kind, period_start);
`;
