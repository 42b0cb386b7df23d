import { checkKeyRequest } from '../../packages/ledger/core/keyRequest';

describe('a request for a new key, checked whole before anything is created', () => {
	it.each([
		[
			{ provider: 'openrouter', name: 'a', credit_limit: -5 },
			'credit_limit',
			'"credit_limit" must be an amount in USD, zero or more, or null for no limit, got -5',
		],
		[
			{ provider: 'openrouter', name: 'a', credit_limit: 'abc' },
			'credit_limit',
			'"credit_limit" must be an amount in USD, zero or more, or null for no limit, got "abc"',
		],
		[
			{ provider: 'openai', name: 'a' },
			'project_id',
			'"project_id" must be the ID of the OpenAI project the key is for, such as proj_abc123, got nothing',
		],
		[
			{ provider: 'gateway', name: 'a', quota: 'lots' },
			'quota',
			'"quota" must be an object with limit and optionally type, period and warning_percent, got "lots"',
		],
		[
			{ provider: 'gateway', name: 'a', quota: { limit: 'lots' } },
			'quota.limit',
			'"quota.limit" must be a whole number of tokens, got "lots"',
		],
		[
			{ provider: 'gateway', name: 'a', quota: { type: 'usd', limit: 10, warning_percent: 150 } },
			'quota.warning_percent',
			'"quota.warning_percent" must be a percentage above 0 and at most 100, got 150',
		],
		[
			{ provider: 'azure', name: 'a' },
			'provider',
			'"provider" must be one of openai, openrouter, volcengine, gateway, got "azure"',
		],
		[
			{},
			'provider',
			'"provider" must be one of openai, openrouter, volcengine, gateway, got nothing',
		],
		[
			{ provider: 'volcengine', name: 'a\u0007b' },
			'name',
			'"name" must be a name of 1 to 100 characters without control characters, got "a\\u0007b"',
		],
		[
			{ provider: 'volcengine', name: 'a', project_id: 'proj_1' },
			'project_id',
			'"project_id" is not a field of a volcengine key request',
		],
		[
			['not', 'an', 'object'],
			'body',
			'The request body must be a JSON object, got ["not","an","object"]',
		],
	])('refuses %j naming %s', (body, field, message) => {
		expect(checkKeyRequest(body)).toEqual({ valid: false, field, message });
	});

	it('passes a good request on with its quota normalized as Quota Check stores it', () => {
		expect(
			checkKeyRequest({
				provider: 'openrouter',
				name: 'team-a',
				credit_limit: 12.5,
				limit_reset: 'monthly',
				quota: { type: 'usd', limit: '10.50', period: 'monthly', warning_percent: 80 },
			}),
		).toEqual({
			valid: true,
			request: {
				provider: 'openrouter',
				name: 'team-a',
				credit_limit: 12.5,
				limit_reset: 'monthly',
				quota: { type: 'usd', limit: '10.5', period: 'monthly', warning_percent: '80' },
			},
		});
		expect(checkKeyRequest({ provider: 'gateway', name: 'bot' })).toEqual({
			valid: true,
			request: { provider: 'gateway', name: 'bot', quota: null },
		});
	});
});

describe('each field of a key request is named when it is wrong', () => {
	it.each([
		[{ quota: { type: 'usd', limit: null } }, 'quota.limit'],
		[{ quota: { type: 'usd', limit: '1e309' } }, 'quota.limit'],
		[{ quota: { type: 'tokens', limit: '2.5' } }, 'quota.limit'],
		[{ quota: { type: 'euros', limit: '5' } }, 'quota.type'],
		[{ quota: { type: 'usd', limit: '5', period: 'hourly' } }, 'quota.period'],
		[{ quota: { limit: '5', extra: 1 } }, 'quota.extra'],
		[{ name: ['array'] }, 'name'],
		[{ name: 'x'.repeat(101) }, 'name'],
		[{ limit_reset: 'hourly' }, 'limit_reset'],
		[{ provider: 'openai', credit_limit: undefined }, 'project_id'],
		[{ provider: 'gateway', credit_limit: undefined, routes: '/v1/chat/completions' }, 'routes'],
		[{ provider: 'gateway', credit_limit: undefined, models: [1] }, 'models.0'],
		[{ provider: 'gateway', credit_limit: undefined, parent: 'eng' }, 'parent'],
		[
			{ provider: 'gateway', credit_limit: undefined, parent: { type: 'galaxy', id: 'x' } },
			'parent.type',
		],
		[
			{ provider: 'gateway', credit_limit: undefined, parent: { type: 'team', id: ' ' } },
			'parent.id',
		],
		[{ parent: { type: 'team', id: 'eng', extra: 1 } }, 'parent.extra'],
	])('%j: %s', (change, field) => {
		const result = checkKeyRequest({
			provider: 'openrouter',
			name: 'q',
			credit_limit: 5,
			...change,
		});
		expect(result).toMatchObject({ valid: false, field });
		expect((result as { message: string }).message).toMatch(
			new RegExp(`^"${field.replace('.', '\\.')}" `),
		);
	});
});
