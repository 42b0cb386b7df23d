import { json, StandIn } from './server';

export const AGENT_OPENAI_KEY = 'sk-proj-e2eAgentModelKey0123456789ABCDEFGHIJ';
export const AGENT_ANTHROPIC_KEY = 'sk-ant-api03-e2eAgentModelKey0123456789ABCDEFGHIJ';
/** Output tokens of every answer: below any output limit the model sets. */
export const ANSWER_TOKENS = 25;

type Json = Record<string, unknown>;

/** Input tokens as these stand-ins bill them: a quarter of the request's prompt bytes, rounded up. */
export function promptTokens(prompt: unknown): number {
	return Math.ceil(Buffer.byteLength(JSON.stringify(prompt), 'utf8') / 4);
}

/** A tool's result as text: n8n hands tools' output to the model as [{"response": …}]. */
function resultText(content: unknown): string {
	const text = typeof content === 'string' ? content : JSON.stringify(content);
	try {
		const parsed = JSON.parse(text) as unknown;
		if (
			Array.isArray(parsed) &&
			parsed[0] &&
			typeof parsed[0] === 'object' &&
			'response' in parsed[0]
		) {
			return String((parsed[0] as { response: unknown }).response);
		}
	} catch {
		// plain text
	}
	return text;
}

/** Whether a tool's schema has an `input` argument (the Calculator's); others are called with {}. */
function takesInput(tool: Json): boolean {
	const parameters = (tool.function as Json | undefined)?.parameters as Json | undefined;
	return Boolean((parameters?.properties as Json | undefined)?.input);
}

const refuse = (
	res: Parameters<ConstructorParameters<typeof StandIn>[0]>[1],
	status: number,
	message: string,
) => json(res, status, { error: { type: 'invalid_request_error', message } });

/**
 * An OpenAI-compatible Chat Completions endpoint that plays an agent's model: asked with tools and
 * no tool result yet, it calls the first tool (with {"input": "2 + 3"} when it takes an input); given the tool's result, it
 * answers with it. It refuses what the real API refuses here: a wrong key, no model or messages,
 * an unknown top-level field.
 */
export function agentOpenAiStandIn(): StandIn {
	let served = 0;
	const known = new Set([
		'model',
		'messages',
		'tools',
		'tool_choice',
		'max_tokens',
		'max_completion_tokens',
		'temperature',
		'top_p',
		'presence_penalty',
		'frequency_penalty',
		'stop',
		'seed',
		'n',
		'stream',
		'stream_options',
		'user',
	]);
	return new StandIn((req, res) => {
		if (req.headers.authorization !== `Bearer ${AGENT_OPENAI_KEY}`)
			return refuse(res, 401, 'Incorrect API key provided.');
		const body = JSON.parse(req.body || '{}') as Json;
		const unknown = Object.keys(body).filter((key) => !known.has(key));
		if (unknown.length)
			return refuse(res, 400, `Unrecognized request argument supplied: ${unknown.join(', ')}`);
		const messages = body.messages as Json[] | undefined;
		if (typeof body.model !== 'string' || !Array.isArray(messages) || !messages.length) {
			return refuse(res, 400, 'model and messages are required');
		}
		served++;
		const tools = (body.tools as Json[] | undefined) ?? [];
		const last = messages[messages.length - 1];
		const message: Json =
			last.role === 'tool'
				? {
						role: 'assistant',
						content: `The result is ${resultText(last.content)}.`,
						refusal: null,
					}
				: tools.length
					? {
							role: 'assistant',
							content: null,
							refusal: null,
							tool_calls: [
								{
									id: `call_${served}`,
									type: 'function',
									function: {
										name: (tools[0].function as Json).name,
										arguments: takesInput(tools[0]) ? '{"input":"2 + 3"}' : '{}',
									},
								},
							],
						}
					: { role: 'assistant', content: 'Hello!', refusal: null };
		const prompt = promptTokens({ messages, tools });
		json(res, 200, {
			id: `chatcmpl-agent-${served}-${Date.now()}`,
			object: 'chat.completion',
			created: Math.floor(Date.now() / 1000),
			model: body.model,
			choices: [
				{
					index: 0,
					message,
					logprobs: null,
					finish_reason: message.tool_calls ? 'tool_calls' : 'stop',
				},
			],
			usage: {
				prompt_tokens: prompt,
				completion_tokens: ANSWER_TOKENS,
				total_tokens: prompt + ANSWER_TOKENS,
			},
		});
	});
}

/** The same agent's model as Anthropic's Messages API: tool_use, then the tool_result's answer. */
export function agentAnthropicStandIn(): StandIn {
	let served = 0;
	const known = new Set([
		'model',
		'messages',
		'system',
		'tools',
		'tool_choice',
		'max_tokens',
		'temperature',
		'top_p',
		'top_k',
		'stop_sequences',
		'metadata',
		'stream',
	]);
	return new StandIn((req, res) => {
		if (req.headers['x-api-key'] !== AGENT_ANTHROPIC_KEY) {
			return json(res, 401, {
				type: 'error',
				error: { type: 'authentication_error', message: 'invalid x-api-key' },
			});
		}
		const version = req.headers['anthropic-version'];
		if (!version) return refuse(res, 400, 'anthropic-version header is required');
		if (version !== '2023-06-01' && version !== '2026-10-21')
			return refuse(res, 400, `anthropic-version: unknown version ${String(version)}`);
		const body = JSON.parse(req.body || '{}') as Json;
		// 2026-10-21 takes no sampling parameters.
		const sampling = ['temperature', 'top_p', 'top_k'].find((key) => key in body);
		if (version === '2026-10-21' && sampling)
			return refuse(res, 400, `${sampling}: is not supported on anthropic-version 2026-10-21`);
		const unknown = Object.keys(body).filter((key) => !known.has(key));
		if (unknown.length) return refuse(res, 400, `${unknown[0]}: Extra inputs are not permitted`);
		const messages = body.messages as Json[] | undefined;
		if (
			typeof body.model !== 'string' ||
			!Array.isArray(messages) ||
			typeof body.max_tokens !== 'number'
		) {
			return refuse(res, 400, 'model, messages and max_tokens are required');
		}
		served++;
		const tools = (body.tools as Json[] | undefined) ?? [];
		const last = messages[messages.length - 1];
		const results = Array.isArray(last.content)
			? (last.content as Json[]).filter((block) => block.type === 'tool_result')
			: [];
		const content: Json[] = results.length
			? [{ type: 'text', text: `The result is ${resultText(results[0].content)}.` }]
			: tools.length
				? [
						{
							type: 'tool_use',
							id: `toolu_${served}`,
							name: tools[0].name,
							input: { input: '2 + 3' },
						},
					]
				: [{ type: 'text', text: 'Hello!' }];
		json(res, 200, {
			id: `msg_agent_${served}_${Date.now()}`,
			type: 'message',
			role: 'assistant',
			model: body.model,
			content,
			stop_reason: content[0].type === 'tool_use' ? 'tool_use' : 'end_turn',
			stop_sequence: null,
			usage: {
				input_tokens: promptTokens({ system: body.system, messages, tools }),
				output_tokens: ANSWER_TOKENS,
				cache_creation_input_tokens: 0,
				cache_read_input_tokens: 0,
			},
		});
	});
}
