/** The usage of one LLM request, the same shape for every provider. */

export const API_FLAVORS = [
	'openai_chat',
	'openai_responses',
	'openai_embeddings',
	'azure_openai',
	'anthropic_messages',
	'gemini',
	'openrouter',
	'volcengine_ark',
] as const;
export type ApiFlavor = (typeof API_FLAVORS)[number];

export const PROVIDER_OF_FLAVOR: Record<ApiFlavor, string> = {
	openai_chat: 'openai',
	openai_responses: 'openai',
	openai_embeddings: 'openai',
	azure_openai: 'azure_openai',
	anthropic_messages: 'anthropic',
	gemini: 'google',
	openrouter: 'openrouter',
	volcengine_ark: 'volcengine',
};

/**
 * Token counts with one meaning across providers:
 * - input_tokens: input that was neither read from nor written to a cache (OpenAI's and
 *   Gemini's prompt counts include cached tokens, so those are taken out; Anthropic's are not);
 * - cache_read_tokens, cache_write_5m_tokens, cache_write_1h_tokens: input read from / written
 *   to the prompt cache, 5-minute and 1-hour writes kept apart;
 * - output_tokens: everything billed as output, reasoning included;
 * - reasoning_tokens: the part of output_tokens spent on reasoning (not added again).
 * A count the response did not give is null.
 */
export interface TokenCounts {
	input_tokens: number | null;
	output_tokens: number | null;
	cache_read_tokens: number | null;
	cache_write_5m_tokens: number | null;
	cache_write_1h_tokens: number | null;
	reasoning_tokens: number | null;
	/** Searches the provider ran for the request (Anthropic's web search tool, OpenAI's web_search), billed per search. */
	web_search_requests: number | null;
	/** Pages Anthropic's web fetch tool fetched: recorded; it bills their tokens, not the fetches. */
	web_fetch_requests: number | null;
}

export interface ExtractedUsage extends TokenCounts {
	provider: string;
	api_flavor: ApiFlavor | 'manual';
	model: string | null;
	request_id: string | null;
	/** input + cache reads + cache writes + output, of the counts known. */
	total_tokens: number | null;
	/** False when a stream ended before its usage arrived: the counts are what was known. */
	usage_complete: boolean;
	streamed: boolean;
	/** Cost the provider itself reported (OpenRouter's usage.cost), USD, exact. */
	provider_cost_usd: string | null;
}

export class UsageInputError extends Error {
	constructor(
		readonly field: string,
		message: string,
	) {
		super(message);
		this.name = 'UsageInputError';
	}
}

/**
 * A count read from input: a whole number of zero or more (digits in a string too), or null when
 * absent. Anything else is refused naming the field.
 */
export function wholeCount(
	value: unknown,
	label: string,
	what = 'a whole number of tokens',
): number | null {
	if (value === undefined || value === null || value === '') return null;
	const number = typeof value === 'string' && /^\d+$/.test(value.trim()) ? Number(value) : value;
	if (typeof number !== 'number' || !Number.isSafeInteger(number) || number < 0) {
		throw new UsageInputError(
			label,
			`"${label}" must be ${what}, zero or more, got ${JSON.stringify(value)}`,
		);
	}
	return number;
}

export function totalTokens(counts: TokenCounts): number | null {
	const parts = [
		counts.input_tokens,
		counts.cache_read_tokens,
		counts.cache_write_5m_tokens,
		counts.cache_write_1h_tokens,
		counts.output_tokens,
	];
	if (parts.every((part) => part === null)) return null;
	return parts.reduce<number>((sum, part) => sum + (part ?? 0), 0);
}
