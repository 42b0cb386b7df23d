/** A whole (non-streamed) response body, read by the adapter of its API. */
import { type ApiFlavor, type ExtractedUsage, UsageInputError } from '../types';
import {
	anthropicCounts,
	geminiCounts,
	NO_COUNTS,
	openAiChatCounts,
	responsesCounts,
	result,
} from './counts';
import { count, isObject, type Json, text } from './json';

function requireUsage(value: unknown, field: string): unknown {
	if (!isObject(value)) {
		throw new UsageInputError(field, `The response has no "${field}": it carries no token counts`);
	}
	return value;
}

const whole = { streamed: false, complete: true };

export function fromBody(body: Json, flavor: ApiFlavor): ExtractedUsage {
	switch (flavor) {
		case 'anthropic_messages':
			return result(flavor, anthropicCounts(requireUsage(body.usage, 'usage')), {
				...whole,
				model: text(body.model),
				request_id: text(body.id),
			});
		case 'openai_responses':
			return result(flavor, responsesCounts(requireUsage(body.usage, 'usage'), body.output), {
				...whole,
				model: text(body.model),
				request_id: text(body.id),
			});
		case 'gemini':
			return result(flavor, geminiCounts(requireUsage(body.usageMetadata, 'usageMetadata')), {
				...whole,
				model: text(body.modelVersion) ?? text(body.model),
				request_id: text(body.responseId),
			});
		case 'openai_embeddings': {
			const usage = requireUsage(body.usage, 'usage');
			return result(
				flavor,
				{ ...NO_COUNTS, input_tokens: count(usage, 'prompt_tokens'), output_tokens: 0 },
				{ ...whole, model: text(body.model), request_id: text(body.id) },
			);
		}
		default:
			return result(flavor, openAiChatCounts(requireUsage(body.usage, 'usage')), {
				...whole,
				model: text(body.model),
				request_id: text(body.id),
			});
	}
}
