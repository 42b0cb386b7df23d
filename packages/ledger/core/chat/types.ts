/**
 * The chat-model contract of n8n's @n8n/ai-node-sdk (ChatModel, Message, GenerateResult), stated
 * here so the metering core needs no n8n import; the KeyPilot Chat Model node hands an object of
 * this shape to the SDK's supplyModel.
 */

export type FinishReason = 'stop' | 'length' | 'content-filter' | 'tool-calls' | 'error' | 'other';

export type MessageContent =
	| { type: 'text'; text: string }
	| { type: 'reasoning'; text: string }
	| { type: 'tool-call'; toolCallId?: string; toolName: string; input: string }
	| { type: 'tool-result'; toolCallId: string; result: unknown; isError?: boolean }
	| { type: string; [key: string]: unknown };

export interface ChatMessage {
	role: 'system' | 'user' | 'assistant' | 'tool';
	content: MessageContent[];
	name?: string;
	id?: string;
}

export interface ChatTool {
	type: 'function' | 'provider';
	name: string;
	description?: string;
	/** JSON Schema, or a schema object the SDK turns into one. */
	inputSchema?: unknown;
}

export interface ChatConfig {
	maxTokens?: number;
	temperature?: number;
	topP?: number;
	topK?: number;
	presencePenalty?: number;
	frequencyPenalty?: number;
	stopSequences?: string[];
	seed?: number;
	timeout?: number;
	abortSignal?: AbortSignal;
}

export interface TokenUsage {
	promptTokens: number;
	completionTokens: number;
	totalTokens: number;
	inputTokenDetails?: { cacheRead?: number };
	outputTokenDetails?: { reasoning?: number };
}

export interface GenerateResult {
	id?: string;
	finishReason?: FinishReason;
	usage?: TokenUsage;
	message: ChatMessage;
	providerMetadata?: Record<string, unknown>;
}

export type StreamChunk =
	| { type: 'text-delta'; delta: string; id?: string }
	| { type: 'tool-call-delta'; id?: string; name?: string; argumentsDelta?: string }
	| { type: 'finish'; finishReason: FinishReason; usage?: TokenUsage };

/** A message part a chat request cannot bound (an image, a file): refused, never guessed. */
export class UnboundedContentError extends Error {}

/** Text of the text parts of a message. */
export function textOf(message: ChatMessage): string {
	return message.content
		.filter((part): part is { type: 'text'; text: string } => part.type === 'text')
		.map((part) => part.text)
		.join('');
}

/** Refuses parts other than text, tool calls, tool results and reasoning. */
export function checkParts(message: ChatMessage): void {
	for (const part of message.content) {
		if (!['text', 'tool-call', 'tool-result', 'reasoning'].includes(part.type)) {
			throw new UnboundedContentError(
				`A "${part.type}" part cannot be metered: its tokens have no proven bound, so the call is refused`,
			);
		}
	}
}

export function resultText(result: unknown): string {
	return typeof result === 'string' ? result : JSON.stringify(result ?? null);
}
