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
