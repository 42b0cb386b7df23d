/** Which API a response came from: by the request URL, else by the body's shape. */
import { type ApiFlavor, UsageInputError } from '../types';
import { at, type Json } from './json';

export function flavorFromUrl(url: string | undefined): ApiFlavor | undefined {
	if (!url) return undefined;
	let host: string;
	let path: string;
	try {
		({ hostname: host, pathname: path } = new URL(url));
	} catch {
		return undefined;
	}
	if (host.endsWith('.openai.azure.com') || host.endsWith('.cognitiveservices.azure.com'))
		return 'azure_openai';
	if (host.endsWith('anthropic.com')) return 'anthropic_messages';
	if (
		host.endsWith('generativelanguage.googleapis.com') ||
		host.endsWith('aiplatform.googleapis.com')
	)
		return 'gemini';
	if (host.endsWith('openrouter.ai')) return 'openrouter';
	if (host.endsWith('volces.com') || host.endsWith('volcengineapi.com')) return 'volcengine_ark';
	if (host.endsWith('api.openai.com')) {
		if (path.endsWith('/responses')) return 'openai_responses';
		if (path.endsWith('/embeddings')) return 'openai_embeddings';
		return 'openai_chat';
	}
	return undefined;
}

/** The API a parsed response body (or one stream chunk) came from, by its shape. */
export function flavorFromBody(body: Json): ApiFlavor | undefined {
	if (body.type === 'message' || body.type === 'message_start') return 'anthropic_messages';
	if (
		body.object === 'response' ||
		(typeof body.type === 'string' && body.type.startsWith('response.'))
	)
		return 'openai_responses';
	if ('usageMetadata' in body || 'candidates' in body) return 'gemini';
	const data = body.data;
	if (body.object === 'list' && Array.isArray(data) && at(data[0], 'object') === 'embedding')
		return 'openai_embeddings';
	if (
		body.object === 'chat.completion' ||
		body.object === 'chat.completion.chunk' ||
		'choices' in body
	) {
		if (typeof body.provider === 'string' || String(body.id ?? '').startsWith('gen-'))
			return 'openrouter';
		if ('prompt_filter_results' in body) return 'azure_openai';
		if (/^(doubao|skylark)/i.test(String(body.model ?? ''))) return 'volcengine_ark';
		return 'openai_chat';
	}
	return undefined;
}

export function unknownProvider(): never {
	throw new UsageInputError(
		'Provider',
		'Could not tell which provider this response comes from: choose the Provider, or map the counts with the "Mapped Fields" input mode',
	);
}
