/** Version 9: the drift table says where each billed figure comes from. */
export const name = 'billed source';

export const sql = String.raw`
-- Where billed_usd comes from, e.g. "anthropic analytics cost by key" (what Anthropic billed each
-- key) or "anthropic usage priced by the catalog" (its token counts at our prices, for days the
-- Analytics API does not cover). The metered side is always llm_usage_log.
ALTER TABLE llm_cost_drift ADD COLUMN billed_source text NOT NULL DEFAULT '';
`;
