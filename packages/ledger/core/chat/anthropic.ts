/** Anthropic Messages: the request a call sends, the answer read back. */
import {
	checkParts,
	type ChatConfig,
	type ChatMessage,
	type ChatTool,
	type FinishReason,
	type GenerateResult,
	type MessageContent,
	resultText,
	textOf,
} from './types';

type Json = Record<string, unknown>;

/** The `anthropic-version` values the Chat Model sends; the first is the default. */
export const ANTHROPIC_VERSIONS = ['2026-10-21', '2023-06-01'] as const;
export type AnthropicVersion = (typeof ANTHROPIC_VERSIONS)[number];

/**
 * Why a configuration cannot be sent under an API version: 2026-10-21 refuses `temperature`,
 * `top_p` and `top_k` with a 400, so the node says so before any call (and before any reservation).
 */
export function anthropicVersionProblem(
	version: string,
	config: Pick<ChatConfig, 'temperature' | 'topP'>,
): string | undefined {
	if (!(ANTHROPIC_VERSIONS as readonly string[]).includes(version))
		return `"Anthropic API Version" must be one of ${ANTHROPIC_VERSIONS.join(', ')}, got ${JSON.stringify(version)}`;
	if (version !== '2026-10-21') return undefined;
	const refused = [
		config.temperature !== undefined ? 'Sampling Temperature (temperature)' : undefined,
		config.topP !== undefined ? 'Top P (top_p)' : undefined,
	].filter((name): name is string => name !== undefined);
	if (!refused.length) return undefined;
	return `Anthropic API version 2026-10-21 does not take ${refused.join(' or ')}: remove ${refused.length > 1 ? 'them' : 'it'} from the options, or choose API version 2023-06-01`;
}

/** A tool call's input as the object Anthropic carries (it may come as JSON text or an object). */
function parseInput(input: unknown): unknown {
	if (typeof input !== 'string') return input ?? {};
	try {
		return JSON.parse(input || '{}');
	} catch {
		return {};
	}
}

/** Anthropic wants user and assistant turns alternating: consecutive turns of one role are merged. */
function push(out: Json[], role: 'user' | 'assistant', blocks: Json[]): void {
	if (!blocks.length) return;
	const last = out[out.length - 1];
	if (last?.role === role) (last.content as Json[]).push(...blocks);
	else out.push({ role, content: blocks });
}

export function anthropicMessagesBody(
	model: string,
	messages: ChatMessage[],
	tools: ChatTool[],
	schema: (tool: ChatTool) => unknown,
	config: ChatConfig,
	maxTokens: number,
): Json {
	const system: string[] = [];
	const out: Json[] = [];
	for (const message of messages) {
		checkParts(message);
		if (message.role === 'system') {
			system.push(textOf(message));
		} else if (message.role === 'tool') {
			push(
				out,
				'user',
				message.content
					.filter((part) => part.type === 'tool-result')
					.map((part) => {
						const result = part as Extract<MessageContent, { type: 'tool-result' }>;
						return {
							type: 'tool_result',
							tool_use_id: result.toolCallId,
							content: resultText(result.result),
							...(result.isError ? { is_error: true } : {}),
						};
					}),
			);
		} else {
			const blocks: Json[] = [];
			const text = textOf(message);
			if (text) blocks.push({ type: 'text', text });
			for (const part of message.content) {
				if (part.type !== 'tool-call') continue;
				const call = part as Extract<MessageContent, { type: 'tool-call' }>;
				blocks.push({
					type: 'tool_use',
					id: call.toolCallId,
					name: call.toolName,
					input: parseInput(call.input),
				});
			}
			push(out, message.role === 'assistant' ? 'assistant' : 'user', blocks);
		}
	}
	const functions = tools.filter((tool) => tool.type === 'function');
	return {
		model,
		max_tokens: maxTokens,
		...(system.length ? { system: system.join('\n\n') } : {}),
		messages: out,
		...(functions.length
			? {
					tools: functions.map((tool) => ({
						name: tool.name,
						...(tool.description ? { description: tool.description } : {}),
						input_schema: schema(tool) ?? { type: 'object', properties: {} },
					})),
				}
			: {}),
		...(config.temperature !== undefined ? { temperature: config.temperature } : {}),
		...(config.topP !== undefined ? { top_p: config.topP } : {}),
		...(config.topK !== undefined ? { top_k: config.topK } : {}),
		...(config.stopSequences?.length ? { stop_sequences: config.stopSequences } : {}),
	};
}

const FINISH: Record<string, FinishReason> = {
	end_turn: 'stop',
	stop_sequence: 'stop',
	max_tokens: 'length',
	tool_use: 'tool-calls',
	refusal: 'content-filter',
};

export function fromAnthropicAnswer(body: Json): Omit<GenerateResult, 'usage'> {
	const content: MessageContent[] = [];
	for (const block of (body.content as Json[] | undefined) ?? []) {
		if (block.type === 'text' && typeof block.text === 'string') {
			content.push({ type: 'text', text: block.text });
		} else if (block.type === 'tool_use') {
			content.push({
				type: 'tool-call',
				toolCallId: String(block.id ?? ''),
				toolName: String(block.name ?? ''),
				input: JSON.stringify(block.input ?? {}),
			});
		}
	}
	return {
		id: typeof body.id === 'string' ? body.id : undefined,
		finishReason: FINISH[String(body.stop_reason)] ?? 'other',
		message: { role: 'assistant', content },
	};
}
