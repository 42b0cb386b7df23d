/**
 * A Server-Sent-Events stream, read by one reducer per stream protocol: Anthropic Messages
 * events, OpenAI Responses events, Gemini chunks, and Chat Completions chunks (OpenAI, Azure,
 * OpenRouter, Volcengine Ark). Each takes the events it knows and says at the end what the
 * stream carried; usage that never came is marked incomplete, never guessed.
 */
import type { ApiFlavor, ExtractedUsage, TokenCounts } from '../types';
import { forEachSseEvent } from '../sse';
import {
	anthropicCounts,
	geminiCounts,
	NO_COUNTS,
	openAiChatCounts,
	responsesCounts,
	result,
} from './counts';
import { flavorFromBody, unknownProvider } from './detect';
import { isObject, type Json, parseJson, text } from './json';

interface StreamReducer {
	add(event: string | undefined, data: string): void;
	finish(): ExtractedUsage;
}

const streamed = { streamed: true };

function incomplete(flavor: ApiFlavor): ExtractedUsage {
	return result(flavor, NO_COUNTS, { ...streamed, complete: false, model: null, request_id: null });
}

function anthropicReducer(): StreamReducer {
	let start: Json | undefined;
	let delta: Json | undefined;
	return {
		add(event, data) {
			if (event === 'message_start' || (!event && !start && data.includes('"message_start"'))) {
				start = parseJson(data);
			} else if (event === 'message_delta' || (!event && data.includes('"message_delta"'))) {
				const parsed = parseJson(data);
				if (isObject(parsed?.usage)) delta = parsed;
			}
		},
		finish() {
			const flavor = 'anthropic_messages';
			const message = start?.message;
			if (!isObject(message)) return incomplete(flavor);
			const counts = anthropicCounts(message.usage);
			// message_start carries a placeholder output count; the real, cumulative one comes in
			// the latest message_delta, which may also restate the input and cache counts.
			const usage = delta?.usage;
			const merged: TokenCounts = usage
				? {
						...counts,
						...Object.fromEntries(
							Object.entries(anthropicCounts(usage)).filter(([, value]) => value !== null),
						),
					}
				: { ...counts, output_tokens: null };
			return result(flavor, merged, {
				...streamed,
				model: text(message.model),
				request_id: text(message.id),
				complete: usage !== undefined,
			});
		},
	};
}

const RESPONSE_EVENTS = new Set([
	'response.created',
	'response.completed',
	'response.incomplete',
	'response.failed',
]);

function responsesReducer(): StreamReducer {
	let response: Json | undefined;
	let done = false;
	return {
		add(event, data) {
			if (!event || !RESPONSE_EVENTS.has(event)) return;
			const parsed = parseJson(data);
			if (isObject(parsed?.response)) response = parsed.response;
			if (event !== 'response.created') done = true;
		},
		finish() {
			const flavor = 'openai_responses';
			if (!response) return incomplete(flavor);
			const usage = response.usage;
			return result(flavor, isObject(usage) ? responsesCounts(usage, response.output) : NO_COUNTS, {
				...streamed,
				model: text(response.model),
				request_id: text(response.id),
				complete: done && isObject(usage),
			});
		},
	};
}

function geminiReducer(): StreamReducer {
	let first: Json | undefined;
	let last: string | undefined;
	let finished = false;
	return {
		add(_event, data) {
			first ??= parseJson(data);
			if (data.includes('"usageMetadata"')) last = data;
			if (data.includes('"finishReason"')) finished = true;
		},
		finish() {
			const chunk = last ? parseJson(last) : undefined;
			return result('gemini', chunk ? geminiCounts(chunk.usageMetadata) : NO_COUNTS, {
				...streamed,
				model: text(chunk?.modelVersion) ?? text(first?.modelVersion),
				request_id: text(chunk?.responseId) ?? text(first?.responseId),
				complete: chunk !== undefined && finished,
			});
		},
	};
}

const HAS_USAGE = /"usage"\s*:\s*\{/;

function chatReducer(requested: ApiFlavor | undefined, first: Json | undefined): StreamReducer {
	const flavor = requested ?? (first ? flavorFromBody(first) : undefined);
	let usageChunk: Json | undefined;
	return {
		add(_event, data) {
			if (!HAS_USAGE.test(data)) return;
			const chunk = parseJson(data);
			if (isObject(chunk?.usage)) usageChunk = chunk;
		},
		finish() {
			if (!flavor) unknownProvider();
			const source = usageChunk ?? first;
			return result(flavor, usageChunk ? openAiChatCounts(usageChunk.usage) : NO_COUNTS, {
				...streamed,
				model: text(source?.model),
				request_id: text(source?.id),
				complete: usageChunk !== undefined,
			});
		},
	};
}

/** Events that say nothing about which protocol a stream speaks. */
const NEUTRAL_EVENTS = /^(ping|message_stop|content_block)/;

/** The reducer for a stream, from the API asked for, else from its first telling event. */
function reducerFor(
	requested: ApiFlavor | undefined,
	event: string | undefined,
	data: string,
): StreamReducer | undefined {
	if (requested === 'anthropic_messages') return anthropicReducer();
	if (requested === 'openai_responses') return responsesReducer();
	if (requested === 'gemini') return geminiReducer();
	if (requested) return chatReducer(requested, parseJson(data));
	if (event && NEUTRAL_EVENTS.test(event)) return undefined;
	if (event === 'message_start' || (!event && data.includes('"message_start"'))) {
		return anthropicReducer();
	}
	if (event?.startsWith('response.')) return responsesReducer();
	const first = parseJson(data);
	const shape = first ? flavorFromBody(first) : undefined;
	if (shape === 'gemini') return geminiReducer();
	if (shape === 'anthropic_messages') return anthropicReducer();
	if (shape === 'openai_responses') return responsesReducer();
	return chatReducer(undefined, first);
}

export function fromStream(stream: string, requested: ApiFlavor | undefined): ExtractedUsage {
	let reducer: StreamReducer | undefined;
	forEachSseEvent(stream, ({ event, data }) => {
		if (data === '[DONE]') return;
		reducer ??= reducerFor(requested, event, data);
		reducer?.add(event, data);
	});
	if (!reducer) unknownProvider();
	return reducer.finish();
}
