import { errorBody, openAiError, tokenFrom } from '../../packages/ledger/core/gateway/wire';

describe('gateway token from the request headers', () => {
	it.each([
		[{ authorization: 'Bearer kp_abc' }, 'kp_abc'],
		[{ authorization: 'bearer kp_abc' }, 'kp_abc'],
		[{ 'x-api-key': 'kp_abc' }, 'kp_abc'],
		[{ authorization: 'Bearer kp_first', 'x-api-key': 'kp_second' }, 'kp_first'],
		[{ authorization: 'kp_abc' }, undefined],
		[{ authorization: 'Basic a3A6YWJj' }, undefined],
		[{ authorization: 'Bearer ' }, undefined],
		[{ authorization: 'Bearer kp_a kp_b' }, undefined],
		[{ 'x-api-key': '   ' }, undefined],
		[{}, undefined],
	])('%j gives %s', (headers, token) => {
		expect(tokenFrom(headers)).toBe(token);
	});
});

describe("errors in OpenAI's shape", () => {
	it('always carries message, type, param and code', () => {
		expect(openAiError('no', 'invalid_request_error')).toEqual({
			error: { message: 'no', type: 'invalid_request_error', param: null, code: null },
		});
		expect(openAiError('bad', 'invalid_request_error', 'x', 'messages')).toEqual({
			error: { message: 'bad', type: 'invalid_request_error', param: 'messages', code: 'x' },
		});
	});
});

describe('a rate limit refusal in each client shape', () => {
	it.each([
		['rate_limited', 'requests'],
		['token_rate_limited', 'tokens'],
	] as const)(
		"%s is OpenAI's rate_limit_exceeded of type %s, and Anthropic's rate_limit_error",
		(refusal, type) => {
			expect(errorBody('openai', refusal, 'slow down')).toEqual({
				error: { message: 'slow down', type, param: null, code: 'rate_limit_exceeded' },
			});
			expect(errorBody('anthropic', refusal, 'slow down')).toEqual({
				type: 'error',
				error: { type: 'rate_limit_error', message: 'slow down' },
			});
		},
	);
});
