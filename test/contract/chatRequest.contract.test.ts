/**
 * The request the gateway sends upstream (Reserve for Chat Request's `metered_request`: the output
 * limit set when missing, `stream_options.include_usage` added to streams) is one OpenAI's
 * official definition of POST /chat/completions accepts, whatever the caller sent.
 */
import {
	boundChatRequest,
	meteredBody,
	reservationFor,
} from '../../nodes/shared/core/usage/requestBound';
import { OpenApiContract } from './harness/openapi';

let contract: OpenApiContract;

beforeAll(async () => {
	contract = await OpenApiContract.load('openai-openapi.yaml', ['/chat/completions']);
});

const messages = [
	{ role: 'system', content: 'Be brief.' },
	{ role: 'user', content: 'Hello' },
];

/** What the gateway would send for this caller body, with a quota that leaves 1,000 tokens. */
function sent(body: Record<string, unknown>) {
	const bound = boundChatRequest(body);
	const reservation = reservationFor(bound, { type: 'tokens', remaining: '1000' }, 4096)!;
	return meteredBody(body, { ...bound, outputTokens: reservation.outputTokens });
}

it.each([
	['no output limit (clamped)', { model: 'gpt-4o-mini', messages }],
	['max_tokens', { model: 'gpt-4o-mini', messages, max_tokens: 50 }],
	['max_completion_tokens and n', { model: 'o3-mini', messages, max_completion_tokens: 40, n: 2 }],
	['a stream without stream_options', { model: 'gpt-4o-mini', messages, stream: true }],
	[
		'a stream that turned usage off',
		{ model: 'gpt-4o-mini', messages, stream: true, stream_options: { include_usage: false } },
	],
	[
		'tools',
		{
			model: 'gpt-4o-mini',
			messages,
			tools: [
				{
					type: 'function',
					function: { name: 'lookup', parameters: { type: 'object', properties: {} } },
				},
			],
		},
	],
] as Array<[string, Record<string, unknown>]>)('%s', (_name, body) => {
	const request = sent(body);
	expect(contract.check({ method: 'POST', url: '/chat/completions', body: request })).toEqual({
		operationId: 'createChatCompletion',
		errors: [],
	});
	if (body.stream) expect(request.stream_options).toEqual({ include_usage: true });
});

it('would catch a rewrite the definition refuses', () => {
	const request = { ...sent({ model: 'gpt-4o-mini', messages }), max_output_tokens: 10 };
	expect(
		contract.check({ method: 'POST', url: '/chat/completions', body: request }).errors,
	).toContain('body.max_output_tokens is not a field of the request schema');
});
