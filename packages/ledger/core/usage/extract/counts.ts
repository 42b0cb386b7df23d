/**
 * One adapter per provider: its usage object stated in the shared TokenCounts meaning, and the
 * result every adapter returns.
 */
import { toDecimal } from '../../../common/money';
import {
	PROVIDER_OF_FLAVOR,
	totalTokens,
	type ApiFlavor,
	type ExtractedUsage,
	type TokenCounts,
} from '../types';
import { at, count, minus, plus } from './json';

/** Every count unknown. */
export const NO_COUNTS: TokenCounts = {
	input_tokens: null,
	output_tokens: null,
	cache_read_tokens: null,
	cache_write_5m_tokens: null,
	cache_write_1h_tokens: null,
	reasoning_tokens: null,
	web_search_requests: null,
	web_fetch_requests: null,
};

export function openAiChatCounts(
	usage: unknown,
): TokenCounts & { provider_cost_usd: string | null } {
	const prompt = count(usage, 'prompt_tokens');
	const cacheRead = count(usage, 'prompt_tokens_details', 'cached_tokens');
	const cacheWrite = count(usage, 'prompt_tokens_details', 'cache_write_tokens');
	const cost = at(usage, 'cost');
	return {
		input_tokens: minus(prompt, cacheRead, cacheWrite),
		cache_read_tokens: cacheRead,
		cache_write_5m_tokens: cacheWrite,
		cache_write_1h_tokens: null,
		output_tokens: count(usage, 'completion_tokens'),
		reasoning_tokens: count(usage, 'completion_tokens_details', 'reasoning_tokens'),
		web_search_requests: null,
		web_fetch_requests: null,
		provider_cost_usd:
			typeof cost === 'number' || typeof cost === 'string' ? toDecimal(cost) : null,
	};
}

/** Each `web_search_call` item of a response's output is one search OpenAI bills. */
function webSearchCalls(output: unknown): number | null {
	if (!Array.isArray(output)) return null;
	return output.filter((item) => (item as { type?: unknown } | null)?.type === 'web_search_call')
		.length;
}

export function responsesCounts(usage: unknown, output?: unknown): TokenCounts {
	const input = count(usage, 'input_tokens');
	const cacheRead = count(usage, 'input_tokens_details', 'cached_tokens');
	// Part of input_tokens, billed at the cache-write price (OpenAI reports it since 2026-07-15).
	const cacheWrite = count(usage, 'input_tokens_details', 'cache_write_tokens');
	return {
		input_tokens: minus(input, cacheRead, cacheWrite),
		cache_read_tokens: cacheRead,
		cache_write_5m_tokens: cacheWrite,
		cache_write_1h_tokens: null,
		output_tokens: count(usage, 'output_tokens'),
		reasoning_tokens: count(usage, 'output_tokens_details', 'reasoning_tokens'),
		web_search_requests: webSearchCalls(output),
		web_fetch_requests: null,
	};
}

export function anthropicCounts(usage: unknown): TokenCounts {
	const creation = count(usage, 'cache_creation_input_tokens');
	const fiveMinutes = count(usage, 'cache_creation', 'ephemeral_5m_input_tokens');
	const oneHour = count(usage, 'cache_creation', 'ephemeral_1h_input_tokens');
	const split = fiveMinutes !== null || oneHour !== null;
	return {
		input_tokens: count(usage, 'input_tokens'),
		cache_read_tokens: count(usage, 'cache_read_input_tokens'),
		cache_write_5m_tokens: split ? fiveMinutes : creation,
		cache_write_1h_tokens: split ? oneHour : null,
		output_tokens: count(usage, 'output_tokens'),
		// Thinking is billed as output and already in output_tokens.
		reasoning_tokens: count(usage, 'output_tokens_details', 'thinking_tokens'),
		web_search_requests: count(usage, 'server_tool_use', 'web_search_requests'),
		web_fetch_requests: count(usage, 'server_tool_use', 'web_fetch_requests'),
	};
}

export function geminiCounts(metadata: unknown): TokenCounts {
	const prompt = plus(
		count(metadata, 'promptTokenCount'),
		count(metadata, 'toolUsePromptTokenCount'),
	);
	const cached = count(metadata, 'cachedContentTokenCount');
	const thoughts = count(metadata, 'thoughtsTokenCount');
	return {
		input_tokens: minus(prompt, cached),
		cache_read_tokens: cached,
		cache_write_5m_tokens: null,
		cache_write_1h_tokens: null,
		output_tokens: plus(count(metadata, 'candidatesTokenCount'), thoughts),
		reasoning_tokens: thoughts,
		web_search_requests: null,
		web_fetch_requests: null,
	};
}

export function result(
	flavor: ApiFlavor,
	counts: TokenCounts & { provider_cost_usd?: string | null },
	meta: { model: string | null; request_id: string | null; streamed: boolean; complete: boolean },
): ExtractedUsage {
	const { provider_cost_usd = null, ...tokens } = counts;
	return {
		provider: PROVIDER_OF_FLAVOR[flavor],
		api_flavor: flavor,
		model: meta.model,
		request_id: meta.request_id,
		...tokens,
		total_tokens: totalTokens(tokens),
		usage_complete: meta.complete,
		streamed: meta.streamed,
		provider_cost_usd,
	};
}
