/** Version 10: quotas mirrored to Anthropic workspace spend limits. */
export const name = 'anthropic limits';

export const sql = String.raw`
ALTER TABLE llm_limit_mirrors DROP CONSTRAINT llm_limit_mirrors_target_check;
ALTER TABLE llm_limit_mirrors ADD CONSTRAINT llm_limit_mirrors_target_check
	CHECK (target IN ('openrouter_key', 'openai_project', 'anthropic_workspace'));
`;
