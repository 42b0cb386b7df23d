/** OpenAI Chat Completions (and compatible endpoints): the request a call sends, the answer read back. */
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

/** A tool call's arguments as the JSON text Chat Completions carries. */
function argumentsText(input: unknown): string {
	if (typeof input === 'string') return input || '{}';
	return JSON.stringify(input ?? {});
}

function toOpenAiMessages(messages: ChatMessage[]): Json[] {
	const out: Json[] = [];
	for (const message of messages) {
		checkParts(message);
		if (message.role === 'tool') {
			for (const part of message.content) {
				if (part.type !== 'tool-result') continue;
				const result = part as Extract<MessageContent, { type: 'tool-result' }>;
				out.push({
					role: 'tool',
					tool_call_id: result.toolCallId,
					content: resultText(result.result),
				});
			}
			continue;
		}
		if (message.role === 'assistant') {
			const calls = message.content.filter(
				(part): part is Extract<MessageContent, { type: 'tool-call' }> => part.type === 'tool-call',
			);
			const text = textOf(message);
			out.push({
				role: 'assistant',
				content: text || (calls.length ? null : ''),
				...(calls.length
					? {
							tool_calls: calls.map((call) => ({
								id: call.toolCallId,
								type: 'function',
								function: { name: call.toolName, arguments: argumentsText(call.input) },
							})),
						}
					: {}),
			});
			continue;
		}
		out.push({ role: message.role, content: textOf(message) });
	}
	return out;
}

export function toOpenAiTools(tools: ChatTool[], schema: (tool: ChatTool) => unknown): Json[] {
	return tools
		.filter((tool) => tool.type === 'function')
		.map((tool) => ({
			type: 'function',
			function: {
				name: tool.name,
				...(tool.description ? { description: tool.description } : {}),
				parameters: schema(tool) ?? { type: 'object', properties: {} },
			},
		}));
}

/** The Chat Completions body for a call: what the bound is computed from and what is sent. */
export function openAiChatBody(
	model: string,
	messages: ChatMessage[],
	tools: Json[],
	config: ChatConfig,
): Json {
	return {
		model,
		messages: toOpenAiMessages(messages),
		...(tools.length ? { tools } : {}),
		...(config.maxTokens !== undefined ? { max_tokens: config.maxTokens } : {}),
		...(config.temperature !== undefined ? { temperature: config.temperature } : {}),
		...(config.topP !== undefined ? { top_p: config.topP } : {}),
		...(config.presencePenalty !== undefined ? { presence_penalty: config.presencePenalty } : {}),
		...(config.frequencyPenalty !== undefined
			? { frequency_penalty: config.frequencyPenalty }
			: {}),
		...(config.stopSequences?.length ? { stop: config.stopSequences } : {}),
		...(config.seed !== undefined ? { seed: config.seed } : {}),
	};
}

const FINISH: Record<string, FinishReason> = {
	stop: 'stop',
	length: 'length',
	tool_calls: 'tool-calls',
	function_call: 'tool-calls',
	content_filter: 'content-filter',
};

/** The assistant's message (text and tool calls) of a Chat Completions answer. */
export function fromOpenAiAnswer(body: Json): Omit<GenerateResult, 'usage'> {
	const choice = ((body.choices as Json[] | undefined) ?? [])[0] ?? {};
	const message = (choice.message as Json | undefined) ?? {};
	const content: MessageContent[] = [];
	if (typeof message.content === 'string' && message.content) {
		content.push({ type: 'text', text: message.content });
	}
	for (const call of (message.tool_calls as Json[] | undefined) ?? []) {
		const fn = (call.function as Json | undefined) ?? {};
		content.push({
			type: 'tool-call',
			toolCallId: String(call.id ?? ''),
			toolName: String(fn.name ?? ''),
			input: typeof fn.arguments === 'string' ? fn.arguments : JSON.stringify(fn.arguments ?? {}),
		});
	}
	return {
		id: typeof body.id === 'string' ? body.id : undefined,
		finishReason: FINISH[String(choice.finish_reason)] ?? 'other',
		message: { role: 'assistant', content },
	};
}
