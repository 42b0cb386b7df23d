/**
 * Reads model, request id and token counts from a provider's response, parsed JSON or the raw
 * text of its Server-Sent-Events stream, and states them with one meaning for every provider
 * (see TokenCounts). Pure: no n8n import.
 */
import { looksLikeSse } from '../sse';
import { type ApiFlavor, type ExtractedUsage, PROVIDER_OF_FLAVOR, UsageInputError } from '../types';
import { fromBody } from './body';
import { flavorFromBody, flavorFromUrl, unknownProvider } from './detect';
import { isObject, parseJson } from './json';
import { fromStream } from './streams';

import { NO_COUNTS } from './counts';

export { NO_COUNTS };
export { flavorFromBody, flavorFromUrl } from './detect';

/**
 * A response whose usage could not be read, as a usage with no counts and `usage_complete` false:
 * logged with why, so a reservation waiting for it is charged in full instead of going free.
 */
export function missingUsage(
	known: Pick<ExtractedUsage, 'provider' | 'api_flavor' | 'model' | 'request_id'>,
	reason: string,
): ExtractedUsage & { missing: string } {
	return {
		...known,
		...NO_COUNTS,
		total_tokens: null,
		usage_complete: false,
		streamed: false,
		provider_cost_usd: null,
		missing: reason,
	};
}

/**
 * What an answer reports, or, when it cannot be read, no usage with the reason kept: the call is
 * then charged its whole reservation instead of going free.
 */
export function usageOrMissing(
	response: unknown,
	flavor: ApiFlavor,
	model: string | null,
): ExtractedUsage & { missing?: string } {
	try {
		return extractUsage(response, { flavor });
	} catch (error) {
		const known = {
			provider: PROVIDER_OF_FLAVOR[flavor],
			api_flavor: flavor,
			model,
			request_id: null,
		};
		return missingUsage(known, (error as Error).message ?? String(error));
	}
}

/** The API an OpenAI-compatible Chat Completions endpoint speaks, told by its host. */
export function chatFlavorOf(baseUrl: string): ApiFlavor {
	const byUrl = flavorFromUrl(`${baseUrl.replace(/\/+$/, '')}/chat/completions`);
	return byUrl && byUrl !== 'openai_responses' && byUrl !== 'openai_embeddings'
		? byUrl
		: 'openai_chat';
}

export interface ExtractOptions {
	/** Skip detection and read the response as this API. */
	flavor?: ApiFlavor;
	/** The request URL, when known: the host tells the provider apart best. */
	url?: string;
}

/**
 * Usage of one response. `response` is a parsed body, or text: a JSON body or an SSE stream.
 * Bad input (not JSON nor SSE, no usage, a negative or fractional count, an unknown provider)
 * throws a UsageInputError naming the field.
 */
export function extractUsage(response: unknown, options: ExtractOptions = {}): ExtractedUsage {
	const requested = options.flavor ?? flavorFromUrl(options.url);
	if (typeof response === 'string') {
		if (looksLikeSse(response)) return fromStream(response, requested);
		const body = parseJson(response);
		if (!body) {
			throw new UsageInputError(
				'Response',
				'The response is neither JSON nor a Server-Sent-Events stream',
			);
		}
		response = body;
	}
	if (!isObject(response)) {
		throw new UsageInputError(
			'Response',
			`The response must be a JSON object, got ${JSON.stringify(response)?.slice(0, 80)}`,
		);
	}
	const flavor = requested ?? flavorFromBody(response) ?? unknownProvider();
	return fromBody(response, flavor);
}
