/**
 * A proven upper bound on the tokens an OpenAI-compatible Chat Completions request can use, so a
 * quota can hold it before the call. Pure: no n8n import.
 *
 * Prompt: the byte-level BPE tokenizers of these models (and SentencePiece with byte fallback)
 * never produce more tokens than the UTF-8 bytes they encode, so the UTF-8 size of the JSON of
 * every prompt-bearing field (messages, tools, functions, response_format, tool_choice,
 * prediction) bounds the text tokens: JSON holds every character of the text, escaped (never
 * shorter), plus keys and punctuation. On top of that a fixed overhead per message, per tool and
 * per request covers the markers the provider adds (OpenAI's chat format adds 3-4 per message and
 * 3 to prime the answer). Parts with no byte bound (images, audio, files) are counted by the
 * provider, held at an operator's ceiling, or refused (`withPartTokens`).
 * Output: max_completion_tokens or max_tokens, for each of the `n` choices; when the request sets
 * neither, `reservationFor` chooses one that the quota can pay for.
 */

import {
	addDecimals,
	compareDecimals,
	floorDivideDecimal,
	multiplyDecimal,
} from '../../common/money';

/** Tokens added per message, per tool definition and per request, above the JSON's own bytes. */
export const MESSAGE_OVERHEAD = 8;
export const TOOL_OVERHEAD = 64;
export const REQUEST_OVERHEAD = 16;
/** OpenAI's largest `n`. */
export const MAX_CHOICES = 128;

const PROMPT_FIELDS = [
	'messages',
	'tools',
	'functions',
	'response_format',
	'tool_choice',
	'prediction',
];

/**
 * Content whose tokens do not follow from its bytes: images, audio, files and documents (a
 * base64 image's size says nothing of its tokens). Counted by the provider, or held at a ceiling
 * the operator sets per upstream, or refused.
 */
export const UNBOUNDED_PART_TYPES = new Set([
	'image_url',
	'input_audio',
	'file',
	'image',
	'audio',
	'document',
	'input_image',
	'input_file',
	'container_upload',
]);

export class RequestBoundError extends Error {
	constructor(
		readonly field: string,
		message: string,
	) {
		super(message);
		this.name = 'RequestBoundError';
	}
}

/** A part of the request whose tokens its bytes do not bound. */
export interface UnboundedPart {
	/** Where it is, e.g. `messages[0].content[1]`. */
	field: string;
	/** Its type (`image_url`, `document`, ...) or what it is (`previous_response_id`, a server tool). */
	type: string;
}

export type OutputField = 'max_tokens' | 'max_completion_tokens' | 'max_output_tokens';

export interface ChatRequestBound {
	/** Which API the request speaks: it decides what `meteredBody` adds. */
	api: 'chat' | 'responses' | 'messages' | 'embeddings';
	/** Upper bound of the prompt's tokens (input, cached or not), unbounded parts not included. */
	promptTokens: number;
	/** The output limit per choice the request carries (after `withOutputLimit`, always set). */
	outputTokens: number | undefined;
	/** `n`: how many choices are generated; output is billed for each, the prompt once. */
	choices: number;
	/** The output field the request uses or should use; null where there is no output. */
	outputField: OutputField | null;
	/** Parts the bound does not cover yet: see `withPartTokens`. */
	unbounded: UnboundedPart[];
	/** The smallest output limit the API accepts (Responses: 16); 1 when absent. */
	minOutputTokens?: number;
	/**
	 * Most web searches the provider may run for it, billed per search: 0 (or absent) without a
	 * search tool, null when a search tool has no limit; `searchLimit` names the field that sets one.
	 */
	searches?: number | null;
	searchLimit?: string;
}

const utf8 = new TextEncoder();

/** UTF-8 bytes of a value's JSON. */
export function jsonBytes(value: unknown): number {
	return value === undefined ? 0 : utf8.encode(JSON.stringify(value)).length;
}

/**
 * The value with every unbounded part replaced by `{type}` (so its bytes do not count), and the
 * parts found, with where they are.
 */
export function withoutUnboundedParts(
	value: unknown,
	field: string,
	found: UnboundedPart[],
): unknown {
	if (Array.isArray(value)) {
		return value.map((entry, index) => withoutUnboundedParts(entry, `${field}[${index}]`, found));
	}
	if (typeof value !== 'object' || value === null) return value;
	const type = (value as Record<string, unknown>).type;
	if (typeof type === 'string' && UNBOUNDED_PART_TYPES.has(type)) {
		found.push({ field, type });
		return { type };
	}
	return Object.fromEntries(
		Object.entries(value).map(([key, entry]) => [
			key,
			withoutUnboundedParts(entry, `${field}.${key}`, found),
		]),
	);
}

export function wholeAtLeast(value: unknown, field: string, min: number, max: number): number {
	if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
		throw new RequestBoundError(
			field,
			`"${field}" must be a whole number from ${min} to ${max}, got ${JSON.stringify(value) ?? String(value)}`,
		);
	}
	return value;
}

/** OpenAI's reasoning models take only max_completion_tokens. */
function outputFieldFor(model: string, body: Record<string, unknown>): OutputField {
	if (body.max_completion_tokens !== undefined) return 'max_completion_tokens';
	if (body.max_tokens !== undefined) return 'max_tokens';
	return /^(openai\/)?(o\d|gpt-5)/.test(model) ? 'max_completion_tokens' : 'max_tokens';
}

/** A JSON object with a non-empty `model`, or a RequestBoundError naming what is wrong. */
export function modelRequest(body: unknown): Record<string, unknown> & { model: string } {
	if (typeof body !== 'object' || body === null || Array.isArray(body)) {
		throw new RequestBoundError('body', 'The request body must be a JSON object');
	}
	const request = body as Record<string, unknown>;
	if (typeof request.model !== 'string' || !request.model.trim()) {
		throw new RequestBoundError(
			'model',
			`"model" must be a non-empty string, got ${JSON.stringify(request.model) ?? 'nothing'}`,
		);
	}
	return request as Record<string, unknown> & { model: string };
}

/** Refuses a bound that still has unbounded parts, naming the first. */
export function requireBounded(bound: ChatRequestBound): ChatRequestBound {
	const [part] = bound.unbounded;
	if (part) {
		throw new RequestBoundError(
			part.field,
			`"${part.field}" is a part of type "${part.type}": no token bound is known for it, so it cannot be metered`,
		);
	}
	return bound;
}

/**
 * The request body checked and bounded; any field it cannot bound is an error naming it. Image,
 * audio and file parts are refused unless `options.collect` lists them in `unbounded` instead.
 */
export function boundChatRequest(
	body: unknown,
	options: { collect?: boolean } = {},
): ChatRequestBound {
	const request = modelRequest(body);
	const messages = request.messages;
	if (!Array.isArray(messages) || messages.length === 0) {
		throw new RequestBoundError('messages', '"messages" must be a non-empty array');
	}
	messages.forEach((message, index) => {
		if (typeof message !== 'object' || message === null || Array.isArray(message)) {
			throw new RequestBoundError(`messages[${index}]`, `"messages[${index}]" must be an object`);
		}
	});
	const tools = Array.isArray(request.tools) ? request.tools.length : 0;
	const functions = Array.isArray(request.functions) ? request.functions.length : 0;
	const unbounded: UnboundedPart[] = [];
	let bytes = 0;
	for (const field of PROMPT_FIELDS) {
		bytes += jsonBytes(withoutUnboundedParts(request[field], field, unbounded));
	}
	const promptTokens =
		bytes +
		messages.length * MESSAGE_OVERHEAD +
		(tools + functions) * TOOL_OVERHEAD +
		REQUEST_OVERHEAD;

	const choices =
		request.n === undefined || request.n === null
			? 1
			: wholeAtLeast(request.n, 'n', 1, MAX_CHOICES);
	const outputField = outputFieldFor(request.model, request);
	const given = request[outputField];
	const outputTokens =
		given === undefined || given === null
			? undefined
			: wholeAtLeast(given, outputField, 1, Number.MAX_SAFE_INTEGER);
	if (
		request.max_tokens !== undefined &&
		request.max_completion_tokens !== undefined &&
		request.max_tokens !== request.max_completion_tokens
	) {
		throw new RequestBoundError(
			'max_tokens',
			'"max_tokens" and "max_completion_tokens" disagree: send one of them',
		);
	}
	const bound: ChatRequestBound = {
		api: 'chat',
		promptTokens,
		outputTokens,
		choices,
		outputField,
		unbounded,
		...chatSearches(request),
	};
	return options.collect ? bound : requireBounded(bound);
}

/** Chat answers from OpenAI (and Azure OpenAI), which bill a search their usage leaves out. */
const SEARCH_UNREPORTED = new Set(['openai_chat', 'azure_openai']);

/**
 * The usage with the web search OpenAI billed a Chat Completions request for, which its answer
 * does not report: one when the request asked for it (`web_search_options`, a search model).
 * Other providers report theirs (OpenRouter its cost).
 */
export function withChatSearch<
	T extends { api_flavor: string; web_search_requests: number | null; total_tokens: number | null },
>(usage: T, bound: Pick<ChatRequestBound, 'api' | 'searchLimit'>): T {
	if (bound.api !== 'chat' || bound.searchLimit !== 'web_search_options') return usage;
	if (!SEARCH_UNREPORTED.has(usage.api_flavor)) return usage;
	if (usage.web_search_requests !== null || usage.total_tokens === null) return usage;
	return { ...usage, web_search_requests: 1 };
}

/** OpenAI's Chat Completions search models, which search the web on every request. */
const SEARCH_MODEL = /(^|\/)gpt-[\w.-]*-search-(preview|api)(-|$)/;

/** A tool of a `web_search…` type (Anthropic's, OpenAI's, OpenRouter's server tool). */
export function isWebSearch(tool: Record<string, unknown>): boolean {
	return typeof tool.type === 'string' && tool.type.startsWith('web_search');
}

/**
 * The most web searches `tools` allow, summed: `limitOf` picks the search tools and reads each
 * one's limit (`field` and `value`; no field: the tool has none of its own). `requestLimit`, when
 * given, is the request's own limit, which bounds every tool (OpenAI Responses' `max_tool_calls`).
 * Null when a search tool has no limit; `searchLimit` names the field that would set one.
 */
export function webSearches(
	tools: unknown,
	limitOf: (
		tool: Record<string, unknown>,
		index: number,
	) => { field?: string; value?: unknown; min?: number } | undefined,
	requestLimit?: { field: string; value: unknown },
): Pick<ChatRequestBound, 'searches' | 'searchLimit'> {
	if (!Array.isArray(tools)) return { searches: 0 };
	const limits = tools.flatMap((tool, index) => {
		const limit =
			typeof tool === 'object' && tool !== null
				? limitOf(tool as Record<string, unknown>, index)
				: undefined;
		return limit ? [limit] : [];
	});
	if (!limits.length) return { searches: 0 };
	if (requestLimit) {
		const { field, value } = requestLimit;
		return value === undefined || value === null
			? { searches: null, searchLimit: field }
			: { searches: wholeAtLeast(value, field, 0, Number.MAX_SAFE_INTEGER), searchLimit: field };
	}
	let searches = 0;
	for (const { field = 'tools', value, min = 1 } of limits) {
		if (value === undefined || value === null) return { searches: null, searchLimit: field };
		searches += wholeAtLeast(value, field, min, Number.MAX_SAFE_INTEGER);
	}
	return { searches, searchLimit: limits[0].field };
}

/** OpenRouter's search engines that honour `max_uses`; its native search passes it only to Anthropic. */
const CAPPED_ENGINES = new Set(['exa', 'firecrawl', 'parallel', 'perplexity']);

/**
 * Web searches a Chat Completions request is billed for. OpenAI: one (a tool call billed per
 * request) when it sends `web_search_options` or names a search model; its usage does not report
 * it. OpenRouter: its web plugin (`plugins: [{"id": "web"}]`) or a model ending `:online` one per
 * request; its search tools (`openrouter:web_search`, `web_search_2025_08_26`) and a plugin with
 * `max_uses` as many as that allows where the engine honours it (native search passes it only to
 * Anthropic), no limit where it does not; the plugin on an Anthropic model with native search and
 * no `max_uses`, no limit either.
 */
export function chatSearches(
	request: Record<string, unknown> & { model: string },
): Pick<ChatRequestBound, 'searches' | 'searchLimit'> {
	const honoured = (engine: unknown) =>
		CAPPED_ENGINES.has(engine as string) || request.model.startsWith('anthropic/');
	const tools = webSearches(request.tools, (tool, index) => {
		const own = tool.type === 'openrouter:web_search';
		if (!own && !isWebSearch(tool)) return undefined;
		const at = own ? `tools[${index}].parameters` : `tools[${index}]`;
		const fields = (own ? tool.parameters : tool) as Record<string, unknown> | undefined;
		return honoured(fields?.engine)
			? { field: `${at}.max_uses`, value: fields?.max_uses, min: 0 }
			: { field: `${at}.engine` };
	});
	if (tools.searches !== 0) return tools;
	const plugins = Array.isArray(request.plugins) ? (request.plugins as unknown[]) : [];
	const index = plugins.findIndex((entry) => {
		const fields = entry as Record<string, unknown> | null;
		return fields?.id === 'web' && fields.enabled !== false;
	});
	if (index >= 0) {
		const plugin = plugins[index] as Record<string, unknown>;
		const field = `plugins[${index}].max_uses`;
		if (plugin.max_uses !== undefined && plugin.max_uses !== null && honoured(plugin.engine)) {
			return {
				searches: wholeAtLeast(plugin.max_uses, field, 0, Number.MAX_SAFE_INTEGER),
				searchLimit: field,
			};
		}
		// Anthropic's own search (native, which "auto" picks for it) runs as often as the model asks.
		const nativeAnthropic =
			request.model.startsWith('anthropic/') && !CAPPED_ENGINES.has(plugin.engine as string);
		return nativeAnthropic
			? { searches: null, searchLimit: field }
			: { searches: 1, searchLimit: `plugins[${index}]` };
	}
	if (request.model.endsWith(':online')) return { searches: 1, searchLimit: 'model' };
	const options = request.web_search_options;
	if ((typeof options === 'object' && options !== null) || SEARCH_MODEL.test(request.model)) {
		return { searches: 1, searchLimit: 'web_search_options' };
	}
	return { searches: 0 };
}

/**
 * The bound with its unbounded parts accounted for: `counted` is the provider's own count of the
 * whole input (it covers every part); otherwise every part needs a ceiling in `ceilings` (tokens
 * per part, by type), or the first part without one is refused naming how to allow it.
 */
export function withPartTokens(
	bound: ChatRequestBound,
	allowance: { counted?: number; ceilings?: Record<string, unknown>; upstream?: string },
): ChatRequestBound {
	if (!bound.unbounded.length) return bound;
	if (allowance.counted !== undefined) {
		// The count covers the whole input; the byte bound of the rest stays as a margin.
		return { ...bound, promptTokens: bound.promptTokens + allowance.counted, unbounded: [] };
	}
	let extra = 0;
	for (const part of bound.unbounded) {
		const ceiling = allowance.ceilings?.[part.type];
		if (typeof ceiling !== 'number' || !Number.isSafeInteger(ceiling) || ceiling < 0) {
			throw new RequestBoundError(
				part.field,
				`"${part.field}" is a part of type "${part.type}", whose tokens its bytes do not bound, and the upstream${allowance.upstream ? ` "${allowance.upstream}"` : ''} has no counter for it: to allow such parts, set a ceiling for "${part.type}" in llm_upstreams.part_token_ceilings (tokens one part may use at most)`,
			);
		}
		extra += ceiling;
	}
	return { ...bound, promptTokens: bound.promptTokens + extra, unbounded: [] };
}

/** Tokens the request can use at most: the prompt once, the output for every choice. */
export function totalTokenBound(bound: ChatRequestBound): number {
	if (bound.outputTokens === undefined) throw new Error('the output limit is not set');
	return bound.promptTokens + bound.choices * bound.outputTokens;
}

/**
 * The body the provider receives: the output limit set when it was missing, and a Chat
 * Completions stream asked to report its usage (without `stream_options.include_usage` an OpenAI
 * stream carries none). Messages and Responses streams always carry it.
 */
export function meteredBody(
	body: Record<string, unknown>,
	bound: ChatRequestBound,
): Record<string, unknown> {
	const sent: Record<string, unknown> = bound.outputField
		? { ...body, [bound.outputField]: bound.outputTokens }
		: { ...body };
	if (bound.api === 'chat' && body.stream === true) {
		const options =
			typeof body.stream_options === 'object' && body.stream_options !== null
				? (body.stream_options as Record<string, unknown>)
				: {};
		sent.stream_options = { ...options, include_usage: true };
	}
	return sent;
}

/**
 * What a provider reported beyond the request's proven bound, on the prompt side (input, cache
 * reads and writes) or the output side; undefined when within it.
 */
export function beyondBound(
	bound: ChatRequestBound,
	reported: { prompt: number; output: number },
): { bound_tokens: number; reported_tokens: number } | undefined {
	const output = bound.choices * (bound.outputTokens ?? 0);
	if (reported.prompt <= bound.promptTokens && reported.output <= output) return undefined;
	return {
		bound_tokens: bound.promptTokens + output,
		reported_tokens: reported.prompt + reported.output,
	};
}

export interface QuotaRoom {
	type: 'tokens' | 'usd';
	/** What the quota can still pay for now; null when it is unlimited. */
	remaining: string | null;
}

/**
 * The amount to reserve, in the quota's unit, and the output limit per choice. A request without
 * an output limit gets the largest one the remaining quota can pay for, up to `defaultOutput`,
 * so it is clamped rather than refused while quota remains; `undefined` when not even one output
 * token fits. A USD quota needs the model's price ceiling (`prices`).
 */
export function reservationFor(
	bound: ChatRequestBound,
	room: QuotaRoom,
	defaultOutput: number,
	prices?: { input: string; output: string; search?: string; request?: string },
): { amount: string; outputTokens: number } | undefined {
	let promptCost: string;
	let perOutputToken: string;
	if (room.type === 'tokens') {
		promptCost = String(bound.promptTokens);
		perOutputToken = String(bound.choices);
	} else {
		if (!prices) throw new RequestBoundError('model', 'No price is known for this model');
		promptCost = addDecimals(
			multiplyDecimal(prices.input, String(bound.promptTokens)),
			searchCost(bound, prices.search),
			prices.request ?? '0',
		);
		perOutputToken = multiplyDecimal(prices.output, String(bound.choices));
	}
	let outputTokens = bound.outputTokens;
	if (outputTokens === undefined) {
		outputTokens = defaultOutput;
		if (room.remaining !== null && compareDecimals(perOutputToken, '0') > 0) {
			const affordable = floorDivideDecimal(
				addDecimals(room.remaining, `-${promptCost}`),
				perOutputToken,
			);
			if (compareDecimals(affordable, String(defaultOutput)) < 0) outputTokens = Number(affordable);
		}
		if (outputTokens < (bound.minOutputTokens ?? 1)) return undefined;
	}
	return {
		amount: addDecimals(promptCost, multiplyDecimal(perOutputToken, String(outputTokens))),
		outputTokens,
	};
}

/**
 * What the request's web searches may cost on a USD quota, proven like its tokens: the most
 * searches it allows times the price of one. A search tool without a limit, or a model whose
 * per-search price is unknown, cannot be bounded and is refused.
 */
function searchCost(bound: ChatRequestBound, price: string | undefined): string {
	const searches = bound.searches;
	if (searches === 0 || searches === undefined) return '0';
	const field = bound.searchLimit ?? 'tools';
	if (price === undefined) {
		throw new RequestBoundError(
			field,
			'The request lets the provider search the web, and no per-search price is known for this model: a USD quota cannot meter it. Add a price override with a price for web searches.',
		);
	}
	if (searches === null) {
		throw new RequestBoundError(
			field,
			`The request lets the provider search the web without a limit: set "${field}" so that a USD quota can hold what its searches may cost`,
		);
	}
	return multiplyDecimal(price, String(searches));
}
