/** Version 3: the workflow a metered call came from, beside its execution. */
export const name = 'usage log workflow id';

export const sql = String.raw`
ALTER TABLE llm_usage_log ADD COLUMN workflow_id text;
CREATE INDEX llm_usage_log_execution_idx ON llm_usage_log (execution_id) WHERE execution_id IS NOT NULL;
`;
