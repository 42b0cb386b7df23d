import { openAiError, tokenFrom } from '../../packages/ledger/core/gateway/wire';

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
