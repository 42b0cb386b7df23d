import nock from 'nock';
import type { IDataObject, ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';

import { OpenRouterManagementApi } from '../../packages/provider/credentials/OpenRouterManagementApi.credentials';
import { OpenRouter } from '../../packages/provider/nodes/OpenRouter/OpenRouter.node';
import { servedFixtures } from '../contract/harness/servedFixtures';
import { createExecuteContext, resultsOf } from '../helpers/executeContext';

const BASE = 'https://openrouter.test/api/v1';
const KEY = 'sk-or-v1-management0123456789abcdefUnitTest';

/** Every answer the fixtures below serve, judged at the end against the official definition. */
const fixtures = servedFixtures({
	specFile: 'openrouter-openapi.yaml',
	basePath: '/api/v1',
	malformedOnPurpose: [],
});

async function run(parameters: IDataObject) {
	const context = createExecuteContext({
		nodeType: new OpenRouter(),
		credentialType: new OpenRouterManagementApi(),
		credentials: { apiKey: KEY, baseUrl: BASE },
		parameters,
		onResponse: fixtures.record,
	});
	const [output] = await new OpenRouter().execute.call(context);
	return resultsOf(output, String(parameters.resource));
}

async function runError(parameters: IDataObject): Promise<Error> {
	try {
		await run(parameters);
	} catch (error) {
		return error as Error;
	}
	throw new Error('expected the node to fail');
}

/** A key in the documented shape of GET /keys. */
function key(n: number, extra: IDataObject = {}) {
	return {
		hash: `hash${n}`,
		name: `key-${n}`,
		label: `sk-or-v1-0e6...${String(n).padStart(4, '0')}`,
		disabled: false,
		limit: 100,
		limit_remaining: 74.5,
		limit_reset: 'monthly',
		include_byok_in_limit: false,
		usage: 25.5,
		usage_daily: 1.5,
		usage_weekly: 10,
		usage_monthly: 25.5,
		byok_usage: 0,
		byok_usage_daily: 0,
		byok_usage_weekly: 0,
		byok_usage_monthly: 0,
		creator_user_id: null,
		created_at: '2025-08-24T10:30:00Z',
		updated_at: null,
		expires_at: null,
		workspace_id: '0df9e665-d932-4de0-b2de-2d2e7a4c2a6e',
		...extra,
	};
}

/** A workspace in the documented shape of GET /workspaces. */
function workspace(id: string, name: string) {
	return {
		id,
		name,
		slug: name.toLowerCase(),
		description: null,
		created_at: '2025-08-24T10:30:00Z',
		created_by: 'user_1',
		updated_at: null,
		default_guardrail_id: '595d5849-7e86-51fd-a7c0-705c34e4afff',
		default_image_model: null,
		default_provider_sort: null,
		default_text_model: null,
		include_byok_in_budgets: false,
		io_logging_api_key_ids: null,
		io_logging_sampling_rate: 1,
		is_data_discount_logging_enabled: false,
		is_observability_broadcast_enabled: false,
		is_observability_io_logging_enabled: false,
	};
}

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());
afterAll(() => nock.enableNetConnect());

describe('OpenRouter: keys', () => {
	it('creates a key with a credit limit, a monthly reset and an expiry; the key is in the output once', async () => {
		nock(BASE, { reqheaders: { authorization: `Bearer ${KEY}` } })
			.post('/keys', {
				name: 'customer-42',
				limit: 25.5,
				limit_reset: 'monthly',
				include_byok_in_limit: false,
				expires_at: '2099-12-31T23:59:59Z',
			})
			.reply(201, {
				data: key(42, { name: 'customer-42', limit: 25.5 }),
				key: 'sk-or-v1-d3558566a246d57584c29dd02393d4a5',
			});
		const [created] = await run({
			resource: 'key',
			operation: 'create',
			name: 'customer-42',
			options: {
				creditLimit: 25.5,
				limitReset: 'monthly',
				includeByokInLimit: false,
				expiresAt: '2099-12-31T23:59:59Z',
			},
		});
		expect(created).toMatchObject({
			hash: 'hash42',
			limit: '25.5',
			key: 'sk-or-v1-d3558566a246d57584c29dd02393d4a5',
		});
	});

	it('refuses a negative credit limit and a past expiry, naming the field, before any request', async () => {
		expect(
			(
				await runError({
					resource: 'key',
					operation: 'create',
					name: 'x',
					options: { creditLimit: -5 },
				})
			).message,
		).toBe('"Credit Limit (USD)" must be an amount of zero or more, got -5 (item 0)');
		expect(
			(
				await runError({
					resource: 'key',
					operation: 'create',
					name: 'x',
					options: { expiresAt: '2020-01-01T00:00:00Z' },
				})
			).message,
		).toContain('"Expires At" must be a date in the future');
	});

	it('lists keys with offset paging to the end, disabled ones included', async () => {
		nock(BASE)
			.get('/keys')
			.query({ include_disabled: 'true' })
			.reply(200, { data: Array.from({ length: 100 }, (_, n) => key(n)) })
			.get('/keys')
			.query({ include_disabled: 'true', offset: '100' })
			.reply(200, { data: [key(100, { disabled: true })] });
		const keys = await run({
			resource: 'key',
			operation: 'getAll',
			returnAll: true,
			includeDisabled: true,
		});
		expect(keys).toHaveLength(101);
		expect(keys[100]).toMatchObject({ hash: 'hash100', disabled: true });
	});

	it('keeps each incoming item and adds the result under the resource name; a failure stays bare', async () => {
		nock(BASE)
			.get('/keys')
			.query(true)
			.reply(200, { data: [key(1), key(2)] })
			.get('/keys')
			.query(true)
			.reply(401, { error: { code: 401, message: 'Key not found' } });
		const input = [
			{
				json: { request: { team: 'a' } },
				binary: { report: { data: 'AA==', mimeType: 'text/plain' } },
			},
			{ json: { request: { team: 'b' } } },
		];
		const context = createExecuteContext({
			nodeType: new OpenRouter(),
			credentialType: new OpenRouterManagementApi(),
			credentials: { apiKey: KEY, baseUrl: BASE },
			parameters: [
				{ resource: 'key', operation: 'getAll', returnAll: false, limit: 2 },
				{ resource: 'key', operation: 'getAll', returnAll: false, limit: 2 },
			],
			items: input,
			continueOnFail: true,
		});
		const [output] = await new OpenRouter().execute.call(context);
		expect(output.map((item) => item.json)).toEqual([
			{ request: { team: 'a' }, key: expect.objectContaining({ hash: 'hash1' }) },
			{ request: { team: 'a' }, key: expect.objectContaining({ hash: 'hash2' }) },
			{ error: expect.stringContaining('rejected the management key'), details: 'GET /keys' },
		]);
		expect(output[0].binary).toBe(input[0].binary);
		expect(output.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 0 }, { item: 1 }]);
	});

	it('disables a key and changes its limit with PATCH, and deletes one', async () => {
		nock(BASE)
			.patch('/keys/hash7', { disabled: true, limit: 0, limit_reset: null })
			.reply(200, { data: key(7, { disabled: true, limit: 0, limit_reset: null }) })
			.delete('/keys/hash7')
			.reply(200, { deleted: true });
		const [updated] = await run({
			resource: 'key',
			operation: 'update',
			keyHash: 'hash7',
			updateFields: { disabled: true, creditLimit: 0, limitReset: 'none' },
		});
		expect(updated).toMatchObject({ disabled: true, limit: 0, limit_reset: null });
		expect(await run({ resource: 'key', operation: 'delete', keyHash: 'hash7' })).toEqual([
			{ hash: 'hash7', deleted: true, already_gone: false },
		]);
	});

	it('removes a key limit when the Credit Limit expression gives null', async () => {
		nock(BASE)
			.patch('/keys/hash7', { limit: null, limit_reset: null })
			.reply(200, { data: key(7, { limit: null, limit_reset: null }) });
		const [updated] = await run({
			resource: 'key',
			operation: 'update',
			keyHash: 'hash7',
			updateFields: { creditLimit: null, limitReset: 'none' },
		});
		expect(updated).toMatchObject({ limit: null, limit_reset: null });
	});

	it('fails to delete a key that is gone, unless told a 404 counts as deleted', async () => {
		const gone = { error: { code: 404, message: 'Resource not found' } };
		nock(BASE).delete('/keys/hash8').times(2).reply(404, gone);
		const error = await runError({ resource: 'key', operation: 'delete', keyHash: 'hash8' });
		expect(error.message).toContain('404');
		expect(
			await run({
				resource: 'key',
				operation: 'delete',
				keyHash: 'hash8',
				alreadyGoneIsDeleted: true,
			}),
		).toEqual([{ hash: 'hash8', deleted: true, already_gone: true }]);
		// Any other failure still fails.
		nock(BASE)
			.delete('/keys/hash9')
			.reply(403, { error: { code: 403, message: 'Forbidden' } });
		await expect(
			run({ resource: 'key', operation: 'delete', keyHash: 'hash9', alreadyGoneIsDeleted: true }),
		).rejects.toThrow(/403/);
	});
});

describe('OpenRouter: credits, current key, activity', () => {
	it('reports credits and what is left exactly', async () => {
		nock(BASE)
			.get('/credits')
			.reply(200, { data: { total_credits: 100.1, total_usage: 25.2 } });
		const [credits] = await run({ resource: 'credits', operation: 'get' });
		expect(credits).toMatchObject({
			total_credits_usd: '100.1',
			total_usage_usd: '25.2',
			remaining_usd: '74.9',
		});
	});

	it('reads activity for a day and refuses a malformed one', async () => {
		nock(BASE)
			.get('/activity')
			.query({ date: '2026-11-24' })
			.reply(200, {
				data: [
					{
						date: '2026-11-24',
						model: 'openai/gpt-4o',
						model_permaslug: 'openai/gpt-4o-2024-08-06',
						endpoint_id: 'ep1',
						provider_name: 'OpenAI',
						usage: 0.015,
						byok_usage_inference: 0,
						requests: 5,
						prompt_tokens: 50,
						completion_tokens: 125,
						reasoning_tokens: 0,
					},
				],
			});
		const rows = await run({ resource: 'activity', operation: 'get', date: '2026-11-24' });
		expect(rows).toEqual([
			expect.objectContaining({ model: 'openai/gpt-4o', provider_name: 'OpenAI', requests: 5 }),
		]);
		expect(
			(await runError({ resource: 'activity', operation: 'get', date: '24/11/2026' })).message,
		).toContain('"Date" must be a day written YYYY-MM-DD');
	});

	it("shows OpenRouter's error message", async () => {
		nock(BASE)
			.get('/keys/nope')
			.reply(404, { error: { code: 404, message: 'API key not found' } });
		expect((await runError({ resource: 'key', operation: 'get', keyHash: 'nope' })).message).toBe(
			'OpenRouter returned 404: API key not found',
		);
	});
});

describe('OpenRouter: guardrails and workspace budgets, as the official definition has them', () => {
	const ID = '550e8400-e29b-41d4-a716-446655440000';
	const WORKSPACE = '0df9e665-d932-4de0-b2de-2d2e7a4c2a6e';
	const guardrail = (fields: IDataObject = {}) => ({
		id: ID,
		name: 'Team A',
		description: null,
		limit_usd: 50,
		reset_interval: 'monthly',
		allowed_providers: null,
		ignored_providers: null,
		allowed_models: ['openai/gpt-4o-mini'],
		ignored_models: null,
		include_byok_in_budgets: false,
		created_at: '2026-11-01T00:00:00Z',
		updated_at: null,
		workspace_id: WORKSPACE,
		...fields,
	});
	const budget = (interval: string, limit: number) => ({
		id: `6f1b2c3d-0000-4000-8000-00000000000${interval.length}`,
		workspace_id: WORKSPACE,
		limit_usd: limit,
		reset_interval: interval === 'lifetime' ? null : interval,
		created_at: '2026-11-01T00:00:00Z',
		updated_at: '2026-11-01T00:00:00Z',
	});

	it('creates a guardrail with a monthly budget and allowed models, then assigns it to keys', async () => {
		let created: unknown;
		let assigned: unknown;
		nock(BASE)
			.post('/guardrails', (body) => {
				created = body;
				return true;
			})
			.reply(201, { data: guardrail() })
			.post(`/guardrails/${ID}/assignments/keys`, (body) => {
				assigned = body;
				return true;
			})
			.reply(200, { assigned_count: 2 });
		const [made] = await run({
			resource: 'guardrail',
			operation: 'create',
			name: 'Team A',
			options: {
				limitUsd: 50,
				resetInterval: 'monthly',
				allowedModels: 'openai/gpt-4o-mini',
				ignoredProviders: '',
				workspaceId: WORKSPACE,
			},
		});
		expect(created).toEqual({
			name: 'Team A',
			limit_usd: 50,
			reset_interval: 'monthly',
			allowed_models: ['openai/gpt-4o-mini'],
			ignored_providers: null,
			workspace_id: WORKSPACE,
		});
		expect(made).toMatchObject({ id: ID, limit_usd: 50 });
		const [result] = await run({
			resource: 'guardrail',
			operation: 'assign',
			guardrailId: ID,
			assignees: 'keys',
			keyHashes: 'hash1, hash2',
		});
		expect(assigned).toEqual({ key_hashes: ['hash1', 'hash2'] });
		expect(result).toEqual({
			guardrail_id: ID,
			assignees: 'keys',
			key_hashes: ['hash1', 'hash2'],
			assigned_count: 2,
		});
	});

	it('refuses a guardrail ID that is not a UUID, a negative budget and an empty member list before any request', async () => {
		await expect(
			run({ resource: 'guardrail', operation: 'get', guardrailId: 'team-a' }),
		).rejects.toThrow('"Guardrail ID" must be a guardrail UUID, got "team-a" (item 0)');
		await expect(
			run({ resource: 'guardrail', operation: 'create', name: 'x', options: { limitUsd: -1 } }),
		).rejects.toThrow('"Budget (USD)" must be an amount of zero or more, got -1 (item 0)');
		await expect(
			run({
				resource: 'guardrail',
				operation: 'unassign',
				guardrailId: ID,
				assignees: 'members',
				memberUserIds: ' , ',
			}),
		).rejects.toThrow('"Member User IDs" must list at least one, separated by commas (item 0)');
	});

	it('lists guardrails by offset to the end, and the members every guardrail applies to', async () => {
		nock(BASE)
			.get('/guardrails')
			.query({ limit: '100' })
			.reply(200, {
				data: Array.from({ length: 100 }, (_, n) => guardrail({ name: `g${n}` })),
				total_count: 101,
			})
			.get('/guardrails')
			.query({ limit: '100', offset: '100' })
			.reply(200, { data: [guardrail({ name: 'g100' })], total_count: 101 })
			.get('/guardrails/assignments/members')
			.query({ limit: '100' })
			.reply(200, {
				data: [
					{
						id: '7a1b2c3d-0000-4000-8000-000000000001',
						user_id: 'user_2dHFtVWx2hZ5gKpJ',
						organization_id: 'org_1',
						guardrail_id: ID,
						assigned_by: null,
						created_at: '2026-11-01T00:00:00Z',
					},
				],
				total_count: 1,
			});
		const all = await run({ resource: 'guardrail', operation: 'getAll', returnAll: true });
		expect(all).toHaveLength(101);
		expect(all[100]).toMatchObject({ name: 'g100' });
		const members = await run({
			resource: 'guardrail',
			operation: 'getAssignments',
			assignees: 'members',
			of: 'all',
			returnAll: true,
		});
		expect(members).toEqual([expect.objectContaining({ user_id: 'user_2dHFtVWx2hZ5gKpJ' })]);
	});

	it("sets, lists and deletes a workspace's budgets by interval; a zero budget is refused", async () => {
		let put: unknown;
		nock(BASE)
			.put('/workspaces/production/budgets/monthly', (body) => {
				put = body;
				return true;
			})
			.reply(200, { data: budget('monthly', 500), include_byok_in_budgets: true })
			.get('/workspaces/production/budgets')
			.reply(200, {
				data: [budget('monthly', 500), budget('lifetime', 5000)],
				include_byok_in_budgets: true,
			})
			.delete('/workspaces/production/budgets/lifetime')
			.reply(200, { deleted: true });
		const [set] = await run({
			resource: 'workspaceBudget',
			operation: 'set',
			workspace: 'production',
			interval: 'monthly',
			limitUsd: 500,
			byok: 'include',
		});
		expect(put).toEqual({ limit_usd: 500, include_byok_in_budgets: true });
		expect(set).toMatchObject({
			limit_usd: 500,
			reset_interval: 'monthly',
			include_byok_in_budgets: true,
		});
		const budgets = await run({
			resource: 'workspaceBudget',
			operation: 'getAll',
			workspace: 'production',
		});
		expect(budgets.map((entry) => [entry.reset_interval, entry.limit_usd])).toEqual([
			['monthly', 500],
			[null, 5000],
		]);
		expect(
			await run({
				resource: 'workspaceBudget',
				operation: 'delete',
				workspace: 'production',
				interval: 'lifetime',
			}),
		).toEqual([{ workspace: 'production', interval: 'lifetime', deleted: true }]);
		await expect(
			run({
				resource: 'workspaceBudget',
				operation: 'set',
				workspace: 'production',
				interval: 'daily',
				limitUsd: 0,
			}),
		).rejects.toThrow('"Budget (USD)" must be an amount above zero, got 0 (item 0)');
	});
});

describe('OpenRouter: workspaces, as the official definition has them', () => {
	const DEFAULT = '0df9e665-d932-4de0-b2de-2d2e7a4c2a6e';
	const RESEARCH = '5a1c3e0b-7c44-4b7e-9f3f-8a2f0d1e6b21';

	it("lists every workspace's keys when asked: /keys alone returns the default workspace only", async () => {
		const seen: Array<string | undefined> = [];
		nock(BASE)
			.get('/workspaces')
			.query({ limit: '100' })
			.reply(200, {
				data: [workspace(DEFAULT, 'Default'), workspace(RESEARCH, 'Research')],
				total_count: 2,
			})
			.get('/keys')
			.query((query) => {
				seen.push(query.workspace_id as string | undefined);
				return true;
			})
			.times(3)
			.reply(200, (uri) => {
				const workspace = new URL(uri, 'http://x').searchParams.get('workspace_id');
				return { data: workspace === RESEARCH ? [key(2)] : [key(0), key(1)] };
			});
		const keys = await run({
			resource: 'key',
			operation: 'getAll',
			returnAll: true,
			workspace: 'all',
		});
		expect(seen).toEqual([undefined, DEFAULT, RESEARCH]);
		expect(keys.map((k) => k.hash)).toEqual(['hash0', 'hash1', 'hash2']);
	});

	it('creates a key in a named workspace and refuses a workspace that is not a UUID', async () => {
		let sent: unknown;
		nock(BASE)
			.post('/keys', (body) => {
				sent = body;
				return true;
			})
			.reply(201, { data: key(5), key: 'sk-or-v1-new' });
		await run({
			resource: 'key',
			operation: 'create',
			name: 'ws key',
			options: { workspaceId: RESEARCH },
		});
		expect(sent).toEqual({ name: 'ws key', workspace_id: RESEARCH });
		const error = await runError({
			resource: 'key',
			operation: 'getAll',
			workspace: 'one',
			workspaceId: 'research',
		});
		expect(error.message).toBe('"Workspace ID" must be a workspace UUID, got "research" (item 0)');
	});
});

describe('OpenRouter: resource locator', () => {
	it('lists keys to pick from by name, 100 a page by offset', async () => {
		const context = createExecuteContext({
			nodeType: new OpenRouter(),
			credentialType: new OpenRouterManagementApi(),
			credentials: { apiKey: KEY, baseUrl: BASE },
			parameters: {},
			onResponse: fixtures.record,
		}) as unknown as ILoadOptionsFunctions;
		const searchKeys = (
			new OpenRouter().methods.listSearch as Record<
				string,
				(
					this: ILoadOptionsFunctions,
					filter?: string,
					token?: string,
				) => Promise<INodeListSearchResult>
			>
		).searchKeys;
		const page = Array.from({ length: 100 }, (_, n) => key(n));
		nock(BASE)
			.get('/keys')
			.query({ include_disabled: 'true' })
			.reply(200, { data: page })
			.get('/keys')
			.query({ include_disabled: 'true', offset: '100' })
			.reply(200, { data: [key(100)] });
		const first = await searchKeys.call(context, 'key-1');
		expect(first.results.map((r) => r.value)).toEqual([
			'hash1',
			...Array.from({ length: 10 }, (_, n) => `hash${10 + n}`),
		]);
		expect(first.paginationToken).toBe('100');
		expect(await searchKeys.call(context, 'key-100', first.paginationToken)).toEqual({
			results: [{ name: 'key-100 (hash100)', value: 'hash100' }],
			paginationToken: undefined,
		});
	});
});

describe('the fixtures above', () => {
	it('serve only answers the official definition allows', async () => {
		const { judged, problems } = await fixtures.problems();
		expect(problems).toEqual([]);
		expect(judged).toBeGreaterThan(5);
	});
});
