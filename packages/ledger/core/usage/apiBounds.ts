/**
 * Proven upper bounds for the other APIs the gateway serves: Anthropic Messages, OpenAI
 * Responses and embeddings, by the same rule as Chat Completions (`requestBound.ts`): the UTF-8
 * bytes of every prompt-bearing field bound its text tokens, plus a fixed overhead for what the
 * provider adds. What bytes cannot bound (images, files, documents, provider-held state, tools
 * whose definitions or results the provider supplies) is listed in `unbounded`, for the
 * provider's own counter or an operator's ceiling. Pure: no n8n import.
 */
import {
	jsonBytes,
	MESSAGE_OVERHEAD,
	modelRequest,
	REQUEST_OVERHEAD,
	RequestBoundError,
	TOOL_OVERHEAD,
	isWebSearch,
	webSearches,
	wholeAtLeast,
	withoutUnboundedParts,
	type ChatRequestBound,
	type UnboundedPart,
} from './requestBound';

/**
 * Tokens Anthropic adds to the system prompt when tools are offered (346 for Claude 4 models with
 * `auto`), with room to spare.
 */
export const ANTHROPIC_TOOL_SYSTEM_OVERHEAD = 1024;

/** The request's prompt fields, measured with unbounded parts set aside. */
function promptBytes(request: Record<string, unknown>, fields: string[], found: UnboundedPart[]) {
	let bytes = 0;
	for (const field of fields)
		bytes += jsonBytes(withoutUnboundedParts(request[field], field, found));
	return bytes;
}

/**
 * Tools the provider defines or runs itself: their definitions or results enter the prompt in
 * amounts the request does not show. `own` are the types whose whole definition is in the request.
 */
function providerTools(tools: unknown, own: Set<string>, found: UnboundedPart[]): void {
	if (!Array.isArray(tools)) return;
	tools.forEach((tool, index) => {
		const type = (tool as Record<string, unknown> | null)?.type;
		if (typeof type === 'string' && !own.has(type)) found.push({ field: `tools[${index}]`, type });
	});
}

/** `POST /v1/messages`: `max_tokens` is required, as Anthropic requires it; thinking is output. */
export function boundMessagesRequest(body: unknown): ChatRequestBound {
	const request = modelRequest(body);
	const messages = request.messages;
	if (!Array.isArray(messages) || messages.length === 0) {
		throw new RequestBoundError('messages', '"messages" must be a non-empty array');
	}
	if (request.max_tokens === undefined) {
		throw new RequestBoundError('max_tokens', '"max_tokens" is required');
	}
	const outputTokens = wholeAtLeast(request.max_tokens, 'max_tokens', 1, Number.MAX_SAFE_INTEGER);
	const unbounded: UnboundedPart[] = [];
	const bytes = promptBytes(request, ['system', 'messages', 'tools', 'tool_choice'], unbounded);
	// Client tools without a type (or "custom") are whole in the request; typed ones are
	// Anthropic's (bash, computer, web search, ...), whose definitions or results it adds.
	providerTools(request.tools, new Set(['custom']), unbounded);
	if (request.mcp_servers !== undefined)
		unbounded.push({ field: 'mcp_servers', type: 'mcp_servers' });
	const tools = Array.isArray(request.tools) ? request.tools.length : 0;
	return {
		api: 'messages',
		promptTokens:
			bytes +
			messages.length * MESSAGE_OVERHEAD +
			tools * TOOL_OVERHEAD +
			(tools ? ANTHROPIC_TOOL_SYSTEM_OVERHEAD : 0) +
			REQUEST_OVERHEAD,
		outputTokens,
		choices: 1,
		outputField: 'max_tokens',
		unbounded,
		...webSearches(request.tools, (tool, index) =>
			isWebSearch(tool) ? { field: `tools[${index}].max_uses`, value: tool.max_uses } : undefined,
		),
	};
}

/** OpenAI's definition: `max_output_tokens` is at least 16. */
export const MIN_RESPONSE_OUTPUT = 16;

/** Responses fields that refer to input the provider holds. */
const PROVIDER_STATE = ['previous_response_id', 'conversation', 'prompt'];

/** `POST /v1/responses`: input may be text or items; `max_output_tokens` set when absent. */
export function boundResponsesRequest(body: unknown): ChatRequestBound {
	const request = modelRequest(body);
	const state = PROVIDER_STATE.filter(
		(field) => request[field] !== undefined && request[field] !== null,
	);
	const input = request.input;
	if (
		!(typeof input === 'string' || Array.isArray(input)) &&
		!(input === undefined && state.length)
	) {
		throw new RequestBoundError(
			'input',
			`"input" must be text or an array of input items, got ${JSON.stringify(input) ?? 'nothing'}`,
		);
	}
	const unbounded: UnboundedPart[] = state.map((field) => ({ field, type: field }));
	const bytes = promptBytes(
		request,
		['input', 'instructions', 'tools', 'tool_choice', 'text'],
		unbounded,
	);
	providerTools(request.tools, new Set(['function', 'custom']), unbounded);
	const items = Array.isArray(input) ? input.length : 1;
	const tools = Array.isArray(request.tools) ? request.tools.length : 0;
	const given = request.max_output_tokens;
	return {
		api: 'responses',
		promptTokens: bytes + items * MESSAGE_OVERHEAD + tools * TOOL_OVERHEAD + REQUEST_OVERHEAD,
		outputTokens:
			given === undefined || given === null
				? undefined
				: wholeAtLeast(given, 'max_output_tokens', MIN_RESPONSE_OUTPUT, Number.MAX_SAFE_INTEGER),
		choices: 1,
		outputField: 'max_output_tokens',
		unbounded,
		minOutputTokens: MIN_RESPONSE_OUTPUT,
		...webSearches(request.tools, (tool) => (isWebSearch(tool) ? {} : undefined), {
			field: 'max_tool_calls',
			value: request.max_tool_calls,
		}),
	};
}

/** `POST /v1/embeddings`: text or token arrays, no output. */
export function boundEmbeddingsRequest(body: unknown): ChatRequestBound {
	const request = modelRequest(body);
	const input = request.input;
	const inputs =
		Array.isArray(input) && input.length && typeof input[0] !== 'number' ? input : [input];
	let promptTokens = REQUEST_OVERHEAD;
	inputs.forEach((entry, index) => {
		const field = inputs === input ? `input[${index}]` : 'input';
		if (typeof entry === 'string') promptTokens += jsonBytes(entry) + 1;
		else if (
			Array.isArray(entry) &&
			entry.length &&
			entry.every((token) => Number.isInteger(token))
		)
			promptTokens += entry.length + 1;
		else {
			throw new RequestBoundError(
				field,
				`"${field}" must be text or an array of token IDs, got ${JSON.stringify(entry)?.slice(0, 60) ?? 'nothing'}`,
			);
		}
	});
	return {
		api: 'embeddings',
		promptTokens,
		outputTokens: 0,
		choices: 1,
		outputField: null,
		unbounded: [],
	};
}
