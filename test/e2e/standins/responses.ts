import type { ServerResponse } from 'node:http';

import { json, type RecordedRequest } from './server';
import { OVER_REPORT, promptTokens, writeEvents } from './tokens';

/** What a response without `max_output_tokens` gets: far more than any test quota. */
const UNBOUNDED_OUTPUT = 50_001;

interface ResponsesBody {
	model?: string;
	input?: unknown;
	instructions?: string;
	tools?: unknown[];
	max_output_tokens?: number;
	stream?: boolean;
	previous_response_id?: string;
	user?: string;
}

export interface OpenAiRoutesState {
	billed: Array<{ id: string; total_tokens: number }>;
	pacedAt: number[];
	/** The context a stored response leaves for the next: its input and output, billed again. */
	stored: Map<string, number>;
}

/**
 * OpenAI's Responses (with provider-held state: `previous_response_id` bills the stored context
 * again), `responses/input_tokens`, embeddings and the model list, as OpenAI's definition shapes
 * them. Returns false for any other path.
 */
export function openAiRoutes(
	state: OpenAiRoutesState,
	req: RecordedRequest,
	res: ServerResponse,
): boolean {
	if (req.method === 'GET' && req.path === '/v1/models') {
		json(res, 200, {
			object: 'list',
			data: ['gpt-4o-mini', 'text-embedding-3-small'].map((id) => ({
				id,
				object: 'model',
				created: 1_721_172_741,
				owned_by: 'system',
			})),
		});
		return true;
	}
	if (req.path === '/v1/embeddings') {
		const body = JSON.parse(req.body) as { model: string; input: string | string[] };
		const inputs = Array.isArray(body.input) ? body.input : [body.input];
		const tokens = promptTokens(inputs);
		state.billed.push({ id: `emb-${state.billed.length}`, total_tokens: tokens });
		json(res, 200, {
			object: 'list',
			data: inputs.map((_, index) => ({
				object: 'embedding',
				index,
				embedding: [0.25, -0.5, 0.125],
			})),
			model: body.model,
			usage: { prompt_tokens: tokens, total_tokens: tokens },
		});
		return true;
	}
	if (req.path !== '/v1/responses' && req.path !== '/v1/responses/input_tokens') return false;
	const body = JSON.parse(req.body) as ResponsesBody;
	const context = body.previous_response_id
		? (state.stored.get(body.previous_response_id) ?? 0)
		: 0;
	const prompt = promptTokens(body.instructions, body.input, body.tools) + context;
	if (req.path === '/v1/responses/input_tokens') {
		json(res, 200, { object: 'response.input_tokens', input_tokens: prompt });
		return true;
	}
	const id = `resp_standin_${state.billed.length + 1}`;
	const input = prompt + (body.model === 'over-report' ? OVER_REPORT : 0);
	const output = body.max_output_tokens ?? UNBOUNDED_OUTPUT;
	state.billed.push({ id, total_tokens: input + output });
	state.stored.set(id, prompt + output);
	const usage = {
		input_tokens: input,
		input_tokens_details: { cached_tokens: 0, cache_write_tokens: 0 },
		output_tokens: output,
		output_tokens_details: { reasoning_tokens: 0 },
		total_tokens: input + output,
	};
	const text = { type: 'output_text', text: 'Hello!', annotations: [] };
	const item = {
		type: 'message',
		id: `msg_${id}`,
		status: 'completed',
		role: 'assistant',
		content: [text],
	};
	const response = {
		id,
		object: 'response',
		created_at: Math.floor(Date.now() / 1000),
		status: 'completed',
		model: body.model,
		output: [item],
		usage,
	};
	if (!body.stream) {
		json(res, 200, response);
		return true;
	}
	let sequence = 0;
	const event = (data: Record<string, unknown> & { type: string }) =>
		`event: ${data.type}\ndata: ${JSON.stringify({ ...data, sequence_number: sequence++ })}\n\n`;
	const started = { ...response, status: 'in_progress', output: [], usage: null };
	const events = [
		event({ type: 'response.created', response: started }),
		event({ type: 'response.in_progress', response: started }),
		event({
			type: 'response.output_item.added',
			output_index: 0,
			item: { ...item, status: 'in_progress', content: [] },
		}),
		event({
			type: 'response.content_part.added',
			item_id: item.id,
			output_index: 0,
			content_index: 0,
			part: { ...text, text: '' },
		}),
		event({
			type: 'response.output_text.delta',
			item_id: item.id,
			output_index: 0,
			content_index: 0,
			delta: 'Hello!',
		}),
		event({
			type: 'response.output_text.done',
			item_id: item.id,
			output_index: 0,
			content_index: 0,
			text: 'Hello!',
		}),
		event({
			type: 'response.content_part.done',
			item_id: item.id,
			output_index: 0,
			content_index: 0,
			part: text,
		}),
		event({ type: 'response.output_item.done', output_index: 0, item }),
		event({ type: 'response.completed', response }),
	];
	writeEvents(res, events, body.user === 'paced' ? 300 : undefined, state.pacedAt);
	return true;
}
