/**
 * What the gateway reads from a client's request and writes back in the client's own wire
 * format. Pure: no n8n import.
 */

/**
 * The gateway token a client sent: exactly `Authorization: Bearer <token>` (OpenAI's clients) or
 * `x-api-key: <token>` (Anthropic's). Anything else is no token.
 */
export function tokenFrom(
	headers: Record<string, string | string[] | undefined>,
): string | undefined {
	const one = (name: string) => {
		const value = headers[name];
		return typeof value === 'string' ? value : undefined;
	};
	const bearer = /^Bearer +(\S+) *$/i.exec(one('authorization') ?? '');
	if (bearer) return bearer[1];
	const key = one('x-api-key')?.trim();
	return key ? key : undefined;
}

export interface OpenAiError {
	error: { message: string; type: string; param: string | null; code: string | null };
}

/** An error in OpenAI's shape: all four keys present, as its SDKs read them. */
export function openAiError(
	message: string,
	type: string,
	code: string | null = null,
	param: string | null = null,
): OpenAiError {
	return { error: { message, type, param, code } };
}

export interface AnthropicError {
	type: 'error';
	error: { type: string; message: string };
}

/** An error in Anthropic's shape. */
export function anthropicError(message: string, type: string): AnthropicError {
	return { type: 'error', error: { type, message } };
}

/** Which client's wire format a route speaks. */
export type Wire = 'openai' | 'anthropic';

/** What went wrong, said once and written in either client's shape. */
export const REFUSALS = [
	'invalid_request',
	'unauthenticated',
	'forbidden',
	'not_found',
	'previous_response_not_found',
	'quota_exhausted',
	'rate_limited',
	'token_rate_limited',
	'upstream_unreachable',
	'ledger_unavailable',
	'gateway_error',
] as const;
export type Refusal = (typeof REFUSALS)[number];

const OPENAI_TYPES: Record<Refusal, [type: string, code: string | null]> = {
	invalid_request: ['invalid_request_error', null],
	unauthenticated: ['invalid_request_error', 'invalid_api_key'],
	forbidden: ['permission_error', 'forbidden'],
	not_found: ['invalid_request_error', 'not_found'],
	previous_response_not_found: ['invalid_request_error', 'previous_response_not_found'],
	quota_exhausted: ['insufficient_quota', 'API_KEY_QUOTA_EXHAUSTED'],
	// OpenAI's own 429s: type "requests" or "tokens", code rate_limit_exceeded.
	rate_limited: ['requests', 'rate_limit_exceeded'],
	token_rate_limited: ['tokens', 'rate_limit_exceeded'],
	upstream_unreachable: ['server_error', 'upstream_unreachable'],
	ledger_unavailable: ['server_error', 'ledger_unavailable'],
	gateway_error: ['server_error', 'gateway_error'],
};

const ANTHROPIC_TYPES: Record<Refusal, string> = {
	invalid_request: 'invalid_request_error',
	unauthenticated: 'authentication_error',
	forbidden: 'permission_error',
	not_found: 'not_found_error',
	previous_response_not_found: 'not_found_error',
	quota_exhausted: 'rate_limit_error',
	rate_limited: 'rate_limit_error',
	token_rate_limited: 'rate_limit_error',
	upstream_unreachable: 'api_error',
	ledger_unavailable: 'api_error',
	gateway_error: 'api_error',
};

/** A refusal's body in the client's own error shape (`param`: the field, for OpenAI). */
export function errorBody(
	wire: Wire,
	refusal: Refusal,
	message: string,
	param: string | null = null,
): OpenAiError | AnthropicError {
	if (wire === 'anthropic') return anthropicError(message, ANTHROPIC_TYPES[refusal]);
	const [type, code] = OPENAI_TYPES[refusal];
	return openAiError(message, type, code, param);
}
