import { json, StandIn } from './server';

export const UPSTREAM_KEY = 'sk-proj-e2eUpstreamProviderKey0123456789ABCDEFGH';

/**
 * An OpenAI-compatible chat completions endpoint. Each answer uses exactly the request's
 * max_tokens (10 prompt tokens, the rest completion), so a reservation of max_tokens settles to
 * the same amount. A model named "broken" gets a 500.
 */
export function chatStandIn(): StandIn {
	let served = 0;
	return new StandIn((req, res) => {
		if (req.headers.authorization !== `Bearer ${UPSTREAM_KEY}`) {
			json(res, 401, {
				error: {
					message: 'Incorrect API key provided.',
					type: 'invalid_request_error',
					code: 'invalid_api_key',
				},
			});
			return;
		}
		const body = JSON.parse(req.body || '{}') as { model?: string; max_tokens?: number };
		if (body.model === 'broken') {
			json(res, 500, {
				error: {
					message: 'The server had an error while processing your request.',
					type: 'server_error',
				},
			});
			return;
		}
		const total = body.max_tokens ?? 100;
		served++;
		json(res, 200, {
			id: `chatcmpl-gw-${served}-${Date.now()}`,
			object: 'chat.completion',
			created: Math.floor(Date.now() / 1000),
			model: body.model ?? 'gpt-4o-mini',
			choices: [
				{
					index: 0,
					message: { role: 'assistant', content: 'Hello!' },
					logprobs: null,
					finish_reason: 'stop',
				},
			],
			usage: {
				prompt_tokens: 10,
				completion_tokens: total - 10,
				total_tokens: total,
				prompt_tokens_details: { cached_tokens: 0 },
				completion_tokens_details: { reasoning_tokens: 0 },
			},
		});
	});
}
