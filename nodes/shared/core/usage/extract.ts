/**
 * Reads model, request id and token counts from a provider's response, parsed JSON or the raw
 * text of its Server-Sent-Events stream, and states them with one meaning for every provider
 * (see TokenCounts). Pure: no n8n import.
 */
import { toDecimal } from '../money';
import { forEachSseEvent, looksLikeSse } from './sse';
import {
	PROVIDER_OF_FLAVOR,
	totalTokens,
	UsageInputError,
	wholeCount,
	type ApiFlavor,
	type ExtractedUsage,
	type TokenCounts,
} from './types';

type Json = Record<string, unknown>;

export interface ExtractOptions {
	/** Skip detection and read the response as this API. */
	flavor?: ApiFlavor;
	/** The request URL, when known: the host tells the provider apart best. */
	url?: string;
}

function isObject(value: unknown): value is Json {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function at(object: unknown, ...path: string[]): unknown {
	let value = object;
	for (const key of path) value = isObject(value) ? value[key] : undefined;
	return value;
}

/** A token count at a path of the response: a whole number of zero or more, or null when absent. */
function count(object: unknown, ...path: string[]): number | null {
	return wholeCount(at(object, ...path), path.join('.'));
}

function text(value: unknown): string | null {
	return typeof value === 'string' && value ? value : null;
}

function minus(total: number | null, ...parts: Array<number | null>): number | null {
	if (total === null) return null;
	return Math.max(
		0,
		parts.reduce<number>((rest, part) => rest - (part ?? 0), total),
	);
}

function plus(...parts: Array<number | null>): number | null {
	return parts.every((part) => part === null)
		? null
		: parts.reduce<number>((sum, part) => sum + (part ?? 0), 0);
}

/** Every count unknown. */
export const NO_COUNTS: TokenCounts = {
	input_tokens: null,
	output_tokens: null,
	cache_read_tokens: null,
	cache_write_5m_tokens: null,
	cache_write_1h_tokens: null,
	reasoning_tokens: null,
};

// ---------------------------------------------------------------------------------------------
// Detection

export function flavorFromUrl(url: string | undefined): ApiFlavor | undefined {
	if (!url) return undefined;
	let host: string;
	let path: string;
	try {
		({ hostname: host, pathname: path } = new URL(url));
	} catch {
		return undefined;
	}
	if (host.endsWith('.openai.azure.com') || host.endsWith('.cognitiveservices.azure.com'))
		return 'azure_openai';
	if (host.endsWith('anthropic.com')) return 'anthropic_messages';
	if (
		host.endsWith('generativelanguage.googleapis.com') ||
		host.endsWith('aiplatform.googleapis.com')
	)
		return 'gemini';
	if (host.endsWith('openrouter.ai')) return 'openrouter';
	if (host.endsWith('volces.com') || host.endsWith('volcengineapi.com')) return 'volcengine_ark';
	if (host.endsWith('api.openai.com')) {
		if (path.endsWith('/responses')) return 'openai_responses';
		if (path.endsWith('/embeddings')) return 'openai_embeddings';
		return 'openai_chat';
	}
	return undefined;
}

/** The API a parsed response body (or one stream chunk) came from, by its shape. */
export function flavorFromBody(body: Json): ApiFlavor | undefined {
	if (body.type === 'message' || body.type === 'message_start') return 'anthropic_messages';
	if (
		body.object === 'response' ||
		(typeof body.type === 'string' && body.type.startsWith('response.'))
	)
		return 'openai_responses';
	if ('usageMetadata' in body || 'candidates' in body) return 'gemini';
	const data = body.data;
	if (body.object === 'list' && Array.isArray(data) && at(data[0], 'object') === 'embedding')
		return 'openai_embeddings';
	if (
		body.object === 'chat.completion' ||
		body.object === 'chat.completion.chunk' ||
		'choices' in body
	) {
		if (typeof body.provider === 'string' || String(body.id ?? '').startsWith('gen-'))
			return 'openrouter';
		if ('prompt_filter_results' in body) return 'azure_openai';
		if (/^(doubao|skylark)/i.test(String(body.model ?? ''))) return 'volcengine_ark';
		return 'openai_chat';
	}
	return undefined;
}

function unknownProvider(): never {
	throw new UsageInputError(
		'Provider',
		'Could not tell which provider this response comes from: choose the Provider, or map the counts with the "Mapped Fields" input mode',
	);
}

// ---------------------------------------------------------------------------------------------
// Whole responses

function openAiChatCounts(usage: unknown): TokenCounts & { provider_cost_usd: string | null } {
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
		provider_cost_usd:
			typeof cost === 'number' || typeof cost === 'string' ? toDecimal(cost) : null,
	};
}

function responsesCounts(usage: unknown): TokenCounts {
	const input = count(usage, 'input_tokens');
	const cacheRead = count(usage, 'input_tokens_details', 'cached_tokens');
	return {
		input_tokens: minus(input, cacheRead),
		cache_read_tokens: cacheRead,
		cache_write_5m_tokens: null,
		cache_write_1h_tokens: null,
		output_tokens: count(usage, 'output_tokens'),
		reasoning_tokens: count(usage, 'output_tokens_details', 'reasoning_tokens'),
	};
}

function anthropicCounts(usage: unknown): TokenCounts {
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
		reasoning_tokens: null,
	};
}

function geminiCounts(metadata: unknown): TokenCounts {
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
	};
}

function result(
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

function requireUsage(value: unknown, field: string): unknown {
	if (!isObject(value)) {
		throw new UsageInputError(field, `The response has no "${field}": it carries no token counts`);
	}
	return value;
}

function fromBody(body: Json, flavor: ApiFlavor): ExtractedUsage {
	const meta = { streamed: false, complete: true };
	switch (flavor) {
		case 'anthropic_messages':
			return result(flavor, anthropicCounts(requireUsage(body.usage, 'usage')), {
				...meta,
				model: text(body.model),
				request_id: text(body.id),
			});
		case 'openai_responses':
			return result(flavor, responsesCounts(requireUsage(body.usage, 'usage')), {
				...meta,
				model: text(body.model),
				request_id: text(body.id),
			});
		case 'gemini':
			return result(flavor, geminiCounts(requireUsage(body.usageMetadata, 'usageMetadata')), {
				...meta,
				model: text(body.modelVersion) ?? text(body.model),
				request_id: text(body.responseId),
			});
		case 'openai_embeddings': {
			const usage = requireUsage(body.usage, 'usage');
			return result(
				flavor,
				{ ...NO_COUNTS, input_tokens: count(usage, 'prompt_tokens'), output_tokens: 0 },
				{ ...meta, model: text(body.model), request_id: text(body.id) },
			);
		}
		default:
			return result(flavor, openAiChatCounts(requireUsage(body.usage, 'usage')), {
				...meta,
				model: text(body.model),
				request_id: text(body.id),
			});
	}
}

// ---------------------------------------------------------------------------------------------
// Streams

function parseJson(data: string): Json | undefined {
	try {
		const value = JSON.parse(data) as unknown;
		return isObject(value) ? value : undefined;
	} catch {
		return undefined;
	}
}

const HAS_USAGE = /"usage"\s*:\s*\{/;
const RESPONSE_EVENTS = new Set([
	'response.created',
	'response.completed',
	'response.incomplete',
	'response.failed',
]);

function fromStream(stream: string, requested: ApiFlavor | undefined): ExtractedUsage {
	let flavor = requested;
	let first: Json | undefined;
	let usageChunk: Json | undefined;
	let anthropicStart: Json | undefined;
	let anthropicDelta: Json | undefined;
	let lastGemini: string | undefined;
	let geminiFinished = false;
	let response: Json | undefined;
	let responseDone = false;

	forEachSseEvent(stream, ({ event, data }) => {
		if (data === '[DONE]') return;
		if (event === 'message_start' || (!event && !first && data.includes('"message_start"'))) {
			anthropicStart = parseJson(data);
			flavor ??= 'anthropic_messages';
			return;
		}
		if (event === 'message_delta' || (!event && data.includes('"message_delta"'))) {
			const delta = parseJson(data);
			if (isObject(delta?.usage)) anthropicDelta = delta;
			return;
		}
		if (event && RESPONSE_EVENTS.has(event)) {
			const parsed = parseJson(data);
			if (isObject(parsed?.response)) response = parsed.response;
			if (event !== 'response.created') responseDone = true;
			flavor ??= 'openai_responses';
			return;
		}
		if (
			event &&
			(event.startsWith('content_block') || event === 'ping' || event === 'message_stop')
		)
			return;
		if (event?.startsWith('response.')) return;
		if (!first) {
			first = parseJson(data);
			if (first && !flavor) flavor = flavorFromBody(first);
		}
		if (flavor === 'gemini') {
			if (data.includes('"usageMetadata"')) lastGemini = data;
			if (data.includes('"finishReason"')) geminiFinished = true;
		} else if (HAS_USAGE.test(data)) {
			const chunk = parseJson(data);
			if (isObject(chunk?.usage)) usageChunk = chunk;
		}
	});

	if (!flavor) unknownProvider();
	const meta = { streamed: true };
	switch (flavor) {
		case 'anthropic_messages': {
			const message = anthropicStart?.message;
			if (!isObject(message)) return unknownStream(flavor);
			const counts = anthropicCounts(message.usage);
			// message_start carries a placeholder output count; the real, cumulative one comes in
			// the latest message_delta, which may also restate the input and cache counts.
			const delta = anthropicDelta?.usage;
			const merged: TokenCounts = delta
				? {
						...counts,
						...Object.fromEntries(
							Object.entries(anthropicCounts(delta)).filter(([, value]) => value !== null),
						),
					}
				: { ...counts, output_tokens: null };
			return result(flavor, merged, {
				...meta,
				model: text(message.model),
				request_id: text(message.id),
				complete: delta !== undefined,
			});
		}
		case 'openai_responses': {
			if (!response) return unknownStream(flavor);
			const usage = response.usage;
			return result(flavor, isObject(usage) ? responsesCounts(usage) : NO_COUNTS, {
				...meta,
				model: text(response.model),
				request_id: text(response.id),
				complete: responseDone && isObject(usage),
			});
		}
		case 'gemini': {
			const last = lastGemini ? parseJson(lastGemini) : undefined;
			return result(flavor, last ? geminiCounts(last.usageMetadata) : NO_COUNTS, {
				...meta,
				model: text(last?.modelVersion) ?? text(first?.modelVersion),
				request_id: text(last?.responseId) ?? text(first?.responseId),
				complete: last !== undefined && geminiFinished,
			});
		}
		default: {
			const source = usageChunk ?? first;
			return result(flavor, usageChunk ? openAiChatCounts(usageChunk.usage) : NO_COUNTS, {
				...meta,
				model: text(source?.model),
				request_id: text(source?.id),
				complete: usageChunk !== undefined,
			});
		}
	}
}

function unknownStream(flavor: ApiFlavor): ExtractedUsage {
	return result(flavor, NO_COUNTS, {
		streamed: true,
		complete: false,
		model: null,
		request_id: null,
	});
}

// ---------------------------------------------------------------------------------------------

/**
 * Usage of one response. `response` is a parsed body, or text: a JSON body or an SSE stream.
 * Bad input (not JSON nor SSE, no usage, a negative or fractional count, an unknown provider)
 * throws a UsageInputError naming the field.
 */
export function extractUsage(response: unknown, options: ExtractOptions = {}): ExtractedUsage {
	const requested = options.flavor ?? flavorFromUrl(options.url);
	if (typeof response === 'string') {
		if (looksLikeSse(response)) return fromStream(response, requested);
		const body = parseJson(response);
		if (!body) {
			throw new UsageInputError(
				'Response',
				'The response is neither JSON nor a Server-Sent-Events stream',
			);
		}
		response = body;
	}
	if (!isObject(response)) {
		throw new UsageInputError(
			'Response',
			`The response must be a JSON object, got ${JSON.stringify(response)?.slice(0, 80)}`,
		);
	}
	const flavor = requested ?? flavorFromBody(response) ?? unknownProvider();
	return fromBody(response, flavor);
}
