/**
 * The one way a usage row is made, for every node that logs a request: what the answer's usage
 * says, priced, and what only the caller knows (who asked, how, what came back). Pure.
 */
import type { PricedUsage } from './price';
import type { UsageRow } from './store';
import type { ExtractedUsage } from './types';

/** What a usage row says beyond the answer's usage. */
export interface RequestFacts {
	logged_at: string;
	key_hash: string | null;
	key_id: string | null;
	key_name: string | null;
	route: string | null;
	http_method: string | null;
	status_code: number | null;
	response_ms: number | null;
	client_ip: string | null;
	user_agent: string | null;
	execution_id: string | null;
	workflow_id: string | null;
	/** The caller's own request ID, kept instead of the answer's. */
	request_id?: string | null;
	/** The model asked for, when the answer names none. */
	model?: string | null;
	/** Why the call failed; otherwise why its usage is missing, if it is. */
	error_message?: string | null;
}

export function usageRow(
	usage: ExtractedUsage & { missing?: string },
	priced: Pick<PricedUsage, 'cost_usd' | 'price_source'>,
	facts: RequestFacts,
): UsageRow {
	return {
		logged_at: facts.logged_at,
		provider: usage.provider,
		api_flavor: usage.api_flavor,
		model: usage.model ?? facts.model ?? null,
		request_id: facts.request_id ?? usage.request_id,
		key_hash: facts.key_hash,
		key_id: facts.key_id,
		key_name: facts.key_name,
		route: facts.route,
		http_method: facts.http_method,
		status_code: facts.status_code,
		response_ms: facts.response_ms,
		client_ip: facts.client_ip,
		user_agent: facts.user_agent,
		error_message: facts.error_message ?? usage.missing ?? null,
		input_tokens: usage.input_tokens,
		output_tokens: usage.output_tokens,
		cache_read_tokens: usage.cache_read_tokens,
		cache_write_5m_tokens: usage.cache_write_5m_tokens,
		cache_write_1h_tokens: usage.cache_write_1h_tokens,
		reasoning_tokens: usage.reasoning_tokens,
		web_search_requests: usage.web_search_requests,
		web_fetch_requests: usage.web_fetch_requests,
		total_tokens: usage.total_tokens,
		usage_complete: usage.usage_complete,
		streamed: usage.streamed,
		cost_usd: priced.cost_usd,
		price_source: priced.price_source,
		execution_id: facts.execution_id,
		workflow_id: facts.workflow_id,
	};
}
