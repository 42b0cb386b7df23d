import { countChatCompletionTokens, encodeChat } from 'gpt-tokenizer/model/gpt-4o';

import { openAiRoutes } from './responses';
import { promptTokens } from './tokens';
import { json, StandIn, type Handler } from './server';

export const UPSTREAM_KEY = 'sk-proj-e2eUpstreamProviderKey0123456789ABCDEFGH';

/** What a request without an output limit gets: an answer far larger than any test quota. */
export const UNBOUNDED_ANSWER_TOKENS = 50_001;

interface ChatBody {
	model?: string;
	messages?: Array<{
		role: 'system' | 'user' | 'assistant' | 'tool';
		content: string | unknown[] | null;
		tool_calls?: unknown[];
	}>;
	tools?: Array<{ type: 'function'; function: { name: string } }>;
	max_tokens?: number;
	max_completion_tokens?: number;
	n?: number;
	stream?: boolean;
	stream_options?: { include_usage?: boolean };
	user?: string;
}

export interface ChatStandIn extends StandIn {
	/** What this upstream bills for every answer it served, whether or not it reported usage. */
	/** What it billed, with the request's `user`. */
	billed: Array<{ id: string; total_tokens: number; user?: string }>;
	/** When each event of the last paced stream was written (performance.now()). */
	pacedAt: number[];
	/** Context each stored Responses answer leaves for a follow-up. */
	stored: Map<string, number>;
	/** Streams whose connection the caller closed before the stand-in finished them. */
	abandoned: number;
}

/** Pause between the events of a stream asked for with `user: "paced"`. */
export const PACE_MS = 300;

/**
 * An OpenAI-compatible chat endpoint that bills like the real one and gives a gateway no slack:
 * prompt tokens are OpenAI's own count of the messages (o200k tokenizer), every choice uses its
 * whole output limit, and a request with no limit gets a 50,001-token answer. Streams carry
 * usage only when `stream_options.include_usage` asks for it. Model "broken" answers 500, model
 * "spend-limit" OpenAI's 429 for an organization past its spend limit,
 * model "no-usage" answers 200 without usage, model "slow" answers after 3 seconds, model "hang"
 * never answers, a stream asked for with `user: "paced"` comes PACE_MS between events, model
 * "cut" streams its first event and then drops the connection. Offered tools, a plain answer calls
 * the first one until the last message is a tool's result. Counts are never negative.
 * Responses, `responses/input_tokens`, embeddings and models answer as `openAiRoutes` says.
 */
export function chatStandIn(): ChatStandIn {
	let served = 0;
	const billed: ChatStandIn['billed'] = [];
	const standIn = new StandIn((req, res) => {
		if (req.headers.authorization !== `Bearer ${UPSTREAM_KEY}`) {
			json(res, 401, {
				error: {
					message: 'Incorrect API key provided.',
					type: 'invalid_request_error',
					code: 'invalid_api_key',
				},
			});
			return;
		}
		if (openAiRoutes(standIn, req, res)) return;
		const body = JSON.parse(req.body || '{}') as ChatBody;
		if (body.model === 'hang') return;
		if (body.model === 'slow') {
			setTimeout(() => answer(body, res), 3000);
			return;
		}
		answer(body, res);
	}) as ChatStandIn;

	function answer(body: ChatBody, res: Parameters<Handler>[1]): void {
		if (body.model === 'spend-limit') {
			json(res, 429, {
				error: {
					message: 'You exceeded your current quota, please check your plan and billing details.',
					type: 'insufficient_quota',
					param: null,
					code: 'organization_spend_limit_exceeded',
				},
			});
			return;
		}
		if (body.model === 'broken') {
			json(res, 500, {
				error: {
					message: 'The server had an error while processing your request.',
					type: 'server_error',
				},
			});
			return;
		}
		const messages = body.messages ?? [];
		// Parts (images, files) are billed at PART_TOKENS each, as the Responses stand-in bills them.
		// Tool definitions are billed as prompt, as OpenAI bills them.
		const prompt =
			body.tools?.length || messages.some((message) => typeof message.content !== 'string')
				? promptTokens(messages, body.tools) + 4 * messages.length + 3
				: countChatCompletionTokens
					? countChatCompletionTokens({ messages } as never)
					: encodeChat(messages as never).length;
		const choices = body.n ?? 1;
		const limit = body.max_completion_tokens ?? body.max_tokens ?? UNBOUNDED_ANSWER_TOKENS;
		const completion = choices * Math.max(0, limit);
		served++;
		const id = `chatcmpl-gw-${served}-${Date.now()}`;
		const usage = {
			prompt_tokens: prompt,
			completion_tokens: completion,
			total_tokens: prompt + completion,
			prompt_tokens_details: { cached_tokens: 0 },
			completion_tokens_details: { reasoning_tokens: 0 },
		};
		const model = body.model ?? 'gpt-4o-mini';
		const created = Math.floor(Date.now() / 1000);
		billed.push({ id, total_tokens: usage.total_tokens, user: body.user });
		if (body.stream) {
			const chunk = (data: object) => `data: ${JSON.stringify(data)}\n\n`;
			const base = { id, object: 'chat.completion.chunk', created, model };
			let text = chunk({
				...base,
				choices: [
					{ index: 0, delta: { role: 'assistant', content: 'Hello!' }, finish_reason: null },
				],
			});
			text += chunk({ ...base, choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] });
			if (body.stream_options?.include_usage) text += chunk({ ...base, choices: [], usage });
			text += 'data: [DONE]\n\n';
			res.writeHead(200, { 'content-type': 'text/event-stream' });
			if (body.model === 'cut') {
				res.write(text.split(/(?<=\n\n)/)[0], () => setTimeout(() => res.socket?.destroy(), 50));
				return;
			}
			if (body.user !== 'paced') {
				res.end(text);
				return;
			}
			const events = text.split(/(?<=\n\n)/);
			standIn.pacedAt = [];
			res.on('close', () => {
				if (!res.writableFinished) standIn.abandoned++;
			});
			const next = () => {
				if (res.destroyed) return;
				standIn.pacedAt.push(performance.now());
				res.write(events.shift());
				if (events.length) setTimeout(next, PACE_MS);
				else res.end();
			};
			next();
			return;
		}
		// Offered tools and not answering a tool's result yet: it calls the first tool.
		const toolCall = messages.at(-1)?.role === 'tool' ? undefined : body.tools?.[0]?.function.name;
		json(res, 200, {
			id,
			object: 'chat.completion',
			created,
			model,
			choices: Array.from({ length: choices }, (_, index) => ({
				index,
				message: toolCall
					? {
							role: 'assistant',
							content: null,
							refusal: null,
							tool_calls: [
								{
									id: `call_${served}_${index}`,
									type: 'function',
									function: { name: toolCall, arguments: '{"city":"Paris"}' },
								},
							],
						}
					: { role: 'assistant', content: 'Hello!', refusal: null },
				logprobs: null,
				finish_reason: toolCall ? 'tool_calls' : 'length',
			})),
			...(body.model === 'no-usage' ? {} : { usage }),
		});
	}
	standIn.billed = billed;
	standIn.pacedAt = [];
	standIn.stored = new Map();
	standIn.abandoned = 0;
	return standIn;
}
