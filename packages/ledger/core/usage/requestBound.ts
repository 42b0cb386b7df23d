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
 * 3 to prime the answer). Parts with no byte bound (images, audio, files) are refused.
 * Output: max_completion_tokens or max_tokens, for each of the `n` choices; when the request sets
 * neither, `reservationFor` chooses one that the quota can pay for.
 */

import { addDecimals, compareDecimals, floorDivideDecimal, multiplyDecimal } from '../../common/money';

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
const UNBOUNDED_PARTS = new Set(['image_url', 'input_audio', 'file', 'image', 'audio']);

export class RequestBoundError extends Error {
	constructor(
		readonly field: string,
		message: string,
	) {
		super(message);
		this.name = 'RequestBoundError';
	}
}

export interface ChatRequestBound {
	/** Upper bound of the prompt's tokens (input, cached or not). */
	promptTokens: number;
	/** The output limit per choice the request carries (after `withOutputLimit`, always set). */
	outputTokens: number | undefined;
	/** `n`: how many choices are generated; output is billed for each, the prompt once. */
	choices: number;
	/** The output field the request uses or should use. */
	outputField: 'max_tokens' | 'max_completion_tokens';
}

const utf8 = new TextEncoder();

function wholeAtLeast(value: unknown, field: string, min: number, max: number): number {
	if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
		throw new RequestBoundError(
			field,
			`"${field}" must be a whole number from ${min} to ${max}, got ${JSON.stringify(value) ?? String(value)}`,
		);
	}
	return value;
}

/** OpenAI's reasoning models take only max_completion_tokens. */
function outputFieldFor(
	model: string,
	body: Record<string, unknown>,
): ChatRequestBound['outputField'] {
	if (body.max_completion_tokens !== undefined) return 'max_completion_tokens';
	if (body.max_tokens !== undefined) return 'max_tokens';
	return /^(openai\/)?(o\d|gpt-5)/.test(model) ? 'max_completion_tokens' : 'max_tokens';
}

/** The request body checked and bounded; any field it cannot bound is an error naming it. */
export function boundChatRequest(body: unknown): ChatRequestBound {
	if (typeof body !== 'object' || body === null || Array.isArray(body)) {
		throw new RequestBoundError('body', 'The request body must be a JSON object');
	}
	const request = body as Record<string, unknown>;
	if (typeof request.model !== 'string' || !request.model.trim()) {
		throw new RequestBoundError('model', '"model" must be a non-empty string');
	}
	const messages = request.messages;
	if (!Array.isArray(messages) || messages.length === 0) {
		throw new RequestBoundError('messages', '"messages" must be a non-empty array');
	}
	messages.forEach((message, index) => {
		if (typeof message !== 'object' || message === null || Array.isArray(message)) {
			throw new RequestBoundError(`messages[${index}]`, `"messages[${index}]" must be an object`);
		}
		const content = (message as Record<string, unknown>).content;
		if (!Array.isArray(content)) return;
		for (const part of content) {
			const type = (part as Record<string, unknown> | null)?.type;
			if (typeof type === 'string' && UNBOUNDED_PARTS.has(type)) {
				throw new RequestBoundError(
					`messages[${index}].content`,
					`"messages[${index}].content" has a ${type} part: no token bound is known for it, so it cannot be metered`,
				);
			}
		}
	});
	const tools = Array.isArray(request.tools) ? request.tools.length : 0;
	const functions = Array.isArray(request.functions) ? request.functions.length : 0;
	let bytes = 0;
	for (const field of PROMPT_FIELDS) {
		if (request[field] !== undefined) bytes += utf8.encode(JSON.stringify(request[field])).length;
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
	return { promptTokens, outputTokens, choices, outputField };
}

/** Tokens the request can use at most: the prompt once, the output for every choice. */
export function totalTokenBound(bound: ChatRequestBound): number {
	if (bound.outputTokens === undefined) throw new Error('the output limit is not set');
	return bound.promptTokens + bound.choices * bound.outputTokens;
}

/**
 * The body the provider receives: the output limit set when it was missing, and a stream asked
 * to report its usage (without `stream_options.include_usage` an OpenAI stream carries none).
 */
export function meteredBody(
	body: Record<string, unknown>,
	bound: ChatRequestBound,
): Record<string, unknown> {
	const sent: Record<string, unknown> = { ...body, [bound.outputField]: bound.outputTokens };
	if (body.stream === true) {
		const options =
			typeof body.stream_options === 'object' && body.stream_options !== null
				? (body.stream_options as Record<string, unknown>)
				: {};
		sent.stream_options = { ...options, include_usage: true };
	}
	return sent;
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
	prices?: { input: string; output: string },
): { amount: string; outputTokens: number } | undefined {
	let promptCost: string;
	let perOutputToken: string;
	if (room.type === 'tokens') {
		promptCost = String(bound.promptTokens);
		perOutputToken = String(bound.choices);
	} else {
		if (!prices) throw new RequestBoundError('model', 'No price is known for this model');
		promptCost = multiplyDecimal(prices.input, String(bound.promptTokens));
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
		if (outputTokens < 1) return undefined;
	}
	return {
		amount: addDecimals(promptCost, multiplyDecimal(perOutputToken, String(outputTokens))),
		outputTokens,
	};
}
