import nock from 'nock';
import type { ICredentialType, IExecuteFunctions, INodeType } from 'n8n-workflow';

import { openAiApi } from '../../packages/provider/nodes/OpenAiAdmin/api';
import { openRouterApi } from '../../packages/provider/nodes/OpenRouter/api';
import { listAll } from '../../packages/provider/transport/paginate';
import { apiRequest } from '../../packages/provider/transport/request';
import type { ProviderApi } from '../../packages/provider/transport/provider';
import { createExecuteContext } from '../helpers/executeContext';

const BASE = 'https://offset.example.test';
const credentialType: ICredentialType = {
	name: 'offsetApi',
	displayName: 'Offset API',
	properties: [],
	authenticate: {
		type: 'generic',
		properties: { headers: { Authorization: '=Bearer {{$credentials.key}}' } },
	},
};
const nodeType = { description: { name: 'offsetTest', properties: [] } } as unknown as INodeType;
const api: ProviderApi = {
	displayName: 'Offset API',
	credentialType: 'offsetApi',
	baseUrl: () => `${BASE}/api/v1`,
	secretFields: ['key'],
	arrayFormat: 'repeat',
	errorMessage: () => undefined,
	unauthorizedMessage: 'rejected',
};

function context(): IExecuteFunctions {
	return createExecuteContext({
		nodeType,
		credentialType,
		credentials: { key: 'k-123456' },
		parameters: {},
	});
}

afterEach(() => nock.cleanAll());

describe('offset pagination', () => {
	it('reads pages until a short one and asks for a smaller page when a limit is near', async () => {
		const keys = (from: number, n: number) =>
			Array.from({ length: n }, (_, i) => ({ hash: `h${from + i}` }));
		nock(BASE)
			.get('/api/v1/keys')
			.query({ offset: 0, limit: 2 })
			.reply(200, { data: keys(0, 2) })
			.get('/api/v1/keys')
			.query({ offset: 2, limit: 2 })
			.reply(200, { data: keys(2, 2) })
			.get('/api/v1/keys')
			.query({ offset: 4, limit: 2 })
			.reply(200, { data: keys(4, 1) });
		const pagination = {
			style: 'offset',
			offsetParam: 'offset',
			limitParam: 'limit',
			pageSize: 2,
		} as const;
		const all = await listAll.call(
			context(),
			api,
			{ method: 'GET', path: '/keys', query: { offset: 0 }, itemIndex: 0 },
			pagination,
		);
		expect(all.map((k) => k.hash)).toEqual(['h0', 'h1', 'h2', 'h3', 'h4']);

		nock(BASE)
			.get('/api/v1/keys')
			.query({ offset: 0, limit: 2 })
			.reply(200, { data: keys(0, 2) })
			.get('/api/v1/keys')
			.query({ offset: 2, limit: 1 })
			.reply(200, { data: keys(2, 1) });
		const three = await listAll.call(
			context(),
			api,
			{ method: 'GET', path: '/keys', query: { offset: 0 }, itemIndex: 0 },
			pagination,
			{
				limit: 3,
			},
		);
		expect(three.map((k) => k.hash)).toEqual(['h0', 'h1', 'h2']);
	});

	it('stops with a clear error when a provider never stops paging', async () => {
		nock(BASE)
			.get('/api/v1/items')
			.query(true)
			.times(3)
			.reply(200, { data: [{ id: 'same' }], has_more: true, last_id: 'same' });
		const pagination = {
			style: 'cursor',
			cursorParam: 'after',
			limitParam: 'limit',
			pageSize: 1,
		} as const;
		await expect(
			listAll.call(context(), api, { method: 'GET', path: '/items', itemIndex: 0 }, pagination, {
				maxPages: 3,
			}),
		).rejects.toThrow(/kept returning more pages after 3/);
	});
});

describe('spend limits and budgets are not rate limits', () => {
	const OPENAI = 'https://openai.example.test';
	const OPENROUTER = 'https://openrouter.example.test/api/v1';
	const provider = (api: ProviderApi, credentials: Record<string, string>) =>
		createExecuteContext({
			nodeType,
			credentialType: { ...credentialType, name: api.credentialType },
			credentials,
			parameters: {},
		});
	const openAi = provider({ ...openAiApi, baseUrl: () => OPENAI }, { apiKey: 'sk-admin-unit' });
	const openRouter = provider(
		{ ...openRouterApi, baseUrl: () => OPENROUTER },
		{ apiKey: 'sk-or-v1-unit', baseUrl: OPENROUTER },
	);
	const failure = async (run: Promise<unknown>) => {
		try {
			await run;
		} catch (error) {
			return error as Error;
		}
		throw new Error('expected a failure');
	};

	it("stops at OpenAI's spend-limit 429 at once, saying which limit and that retrying will not help", async () => {
		const scope = nock(OPENAI)
			.post('/v1/organization/projects')
			.reply(429, {
				error: {
					message: 'You exceeded your current quota.',
					type: 'insufficient_quota',
					param: null,
					code: 'project_spend_limit_exceeded',
				},
			});
		const error = await failure(
			apiRequest.call(
				openAi,
				{ ...openAiApi, baseUrl: () => OPENAI },
				{
					method: 'POST',
					itemIndex: 0,
					path: '/v1/organization/projects',
					body: { name: 'x' },
				},
			),
		);
		expect(scope.isDone()).toBe(true);
		expect(error.message).toBe(
			"OpenAI refused the request: the project's spend limit is reached: raise it in the project's settings (Limits) or wait for the next period. Retrying will not help (project_spend_limit_exceeded).",
		);
	});

	it("retries OpenRouter's in-flight budget 402 after its Retry-After, even for a create", async () => {
		const scope = nock(OPENROUTER)
			.post('/keys')
			.reply(
				402,
				{
					error: {
						code: 402,
						message: 'In-flight budget exhausted',
						metadata: {
							reason: 'in_flight_budget_exhausted',
							limit_source: 'openrouter_in_flight_budget',
						},
					},
				},
				{ 'Retry-After': '1' },
			)
			.post('/keys')
			.reply(201, { data: { hash: 'h1', name: 'k' }, key: 'sk-or-v1-new' });
		const started = Date.now();
		const response = await apiRequest.call(
			openRouter,
			{ ...openRouterApi, baseUrl: () => OPENROUTER },
			{
				method: 'POST',
				itemIndex: 0,
				path: '/keys',
				body: { name: 'k' },
			},
		);
		expect(scope.isDone()).toBe(true);
		expect(response.statusCode).toBe(201);
		expect(Date.now() - started).toBeGreaterThanOrEqual(950);
	});

	it("does not retry OpenRouter's weight_exceeds_budget or a guardrail's 403, and says what to change", async () => {
		const scope = nock(OPENROUTER)
			.post('/keys')
			.reply(402, {
				error: {
					code: 402,
					message: 'Request weight exceeds budget',
					metadata: { reason: 'weight_exceeds_budget' },
				},
			})
			.get('/credits')
			.reply(403, {
				error: {
					code: 403,
					message: 'Guardrail budget exceeded',
					metadata: {
						limit_source: 'openrouter_guardrail_budget',
						limit_usd: 50,
						spend_usd: 50.02,
						resets_at: '2027-01-01T00:00:00Z',
					},
				},
			});
		const api = { ...openRouterApi, baseUrl: () => OPENROUTER };
		const heavy = await failure(
			apiRequest.call(openRouter, api, {
				method: 'POST',
				itemIndex: 0,
				path: '/keys',
				body: { name: 'k' },
			}),
		);
		expect(heavy.message).toMatch(
			/^OpenRouter refused the request: this one request alone would exceed the in-flight budget .*lower its max_tokens/,
		);
		const guarded = await failure(
			apiRequest.call(openRouter, api, { method: 'GET', itemIndex: 0, path: '/credits' }),
		);
		expect(guarded.message).toBe(
			'OpenRouter refused the request: a guardrail budget is spent (limit 50 USD, spent 50.02 USD, resets 2027-01-01T00:00:00Z); raise it or wait for its reset (openrouter_guardrail_budget) (the provider said: Guardrail budget exceeded).',
		);
		expect(scope.isDone()).toBe(true);
	});
});
