import { json, StandIn } from './server';
import { OVER_REPORT, PART_TOKENS, promptTokens, TOOL_PROMPT_TOKENS, writeEvents } from './tokens';

export const ANTHROPIC_UPSTREAM_KEY = 'sk-ant-api03-e2eUpstreamAnthropicKey0123456789ABCDEF';

export { OVER_REPORT, PART_TOKENS };

export interface MessagesStandIn extends StandIn {
	/** What it billed, with the request's `metadata.user_id`. */
	billed: Array<{ id: string; input: number; output: number; user?: string }>;
	pacedAt: number[];
}

interface MessagesBody {
	model?: string;
	max_tokens?: number;
	system?: unknown;
	messages?: Array<{ role: string; content: unknown }>;
	tools?: Array<{ name: string }>;
	stream?: boolean;
	temperature?: number;
	metadata?: { user_id?: string };
}

const error = (type: string, message: string) => ({
	type: 'error',
	error: { type, message },
	request_id: 'req_standin',
});

/**
 * Anthropic's Messages API as its reference describes it: `x-api-key` and `anthropic-version`
 * required (`2026-10-21` refuses `temperature`), every output token up to `max_tokens` billed,
 * the tool system prompt billed when tools are offered, images and PDFs at PART_TOKENS each,
 * `count_tokens` counting the same, streams as `event:`/`data:` pairs with cumulative usage in
 * `message_delta`. Model "over-report" bills OVER_REPORT more input than it got; a stream asked
 * for with `metadata.user_id: "paced"` comes 300 ms between events.
 */
export function messagesStandIn(): MessagesStandIn {
	let served = 0;
	const standIn = new StandIn((req, res) => {
		if (req.headers['x-api-key'] !== ANTHROPIC_UPSTREAM_KEY) {
			json(res, 401, error('authentication_error', 'invalid x-api-key'));
			return;
		}
		const version = req.headers['anthropic-version'];
		if (req.method === 'GET' && req.path === '/v1/models') {
			const data = ['claude-sonnet-4-5', 'claude-haiku-4-5'].map((id) => ({
				type: 'model',
				id,
				display_name: id,
				created_at: '2025-10-01T00:00:00Z',
			}));
			json(res, 200, { data, has_more: false, first_id: data[0].id, last_id: data[1].id });
			return;
		}
		if (version !== '2023-06-01' && version !== '2026-10-21') {
			json(res, 400, error('invalid_request_error', 'anthropic-version: header is required'));
			return;
		}
		const body = JSON.parse(req.body || '{}') as MessagesBody;
		const prompt =
			promptTokens(body.system, body.messages, body.tools) +
			(body.tools?.length ? TOOL_PROMPT_TOKENS : 0);
		if (req.path === '/v1/messages/count_tokens') {
			json(res, 200, { input_tokens: prompt });
			return;
		}
		if (req.path !== '/v1/messages') {
			json(res, 404, error('not_found_error', `No route ${req.path}`));
			return;
		}
		if (version === '2026-10-21' && body.temperature !== undefined) {
			json(res, 400, error('invalid_request_error', 'temperature: not supported in 2026-10-21'));
			return;
		}
		if (typeof body.max_tokens !== 'number') {
			json(res, 400, error('invalid_request_error', 'max_tokens: Field required'));
			return;
		}
		served++;
		const id = `msg_standin_${served}`;
		const input = prompt + (body.model === 'over-report' ? OVER_REPORT : 0);
		const output = body.max_tokens;
		standIn.billed.push({ id, input, output, user: body.metadata?.user_id });
		const text = JSON.stringify(body.messages ?? '');
		const content =
			body.tools?.length && text.includes('weather')
				? [
						{
							type: 'tool_use',
							id: `toolu_${served}`,
							name: body.tools[0].name,
							input: { city: 'Paris' },
						},
					]
				: [{ type: 'text', text: 'Hello!' }];
		const usage = {
			input_tokens: input,
			cache_creation_input_tokens: 0,
			cache_read_input_tokens: 0,
			output_tokens: output,
		};
		const message = {
			id,
			type: 'message',
			role: 'assistant',
			model: body.model,
			content,
			stop_reason: content[0].type === 'tool_use' ? 'tool_use' : 'max_tokens',
			stop_sequence: null,
			usage,
		};
		if (!body.stream) {
			json(res, 200, message, { 'request-id': `req_${id}` });
			return;
		}
		const event = (data: { type: string }) =>
			`event: ${data.type}\ndata: ${JSON.stringify(data)}\n\n`;
		const events = [
			event({
				type: 'message_start',
				message: {
					...message,
					content: [],
					stop_reason: null,
					usage: { ...usage, output_tokens: 1 },
				},
			} as { type: string }),
			event({
				type: 'content_block_start',
				index: 0,
				content_block: { type: 'text', text: '' },
			} as { type: string }),
			event({ type: 'ping' }),
			event({
				type: 'content_block_delta',
				index: 0,
				delta: { type: 'text_delta', text: 'Hello!' },
			} as { type: string }),
			event({ type: 'content_block_stop', index: 0 } as { type: string }),
			event({
				type: 'message_delta',
				delta: { stop_reason: 'max_tokens', stop_sequence: null },
				usage: { output_tokens: output },
			} as { type: string }),
			event({ type: 'message_stop' }),
		];
		writeEvents(res, events, body.metadata?.user_id === 'paced' ? 300 : undefined, standIn.pacedAt);
	}) as MessagesStandIn;
	standIn.billed = [];
	standIn.pacedAt = [];
	return standIn;
}
