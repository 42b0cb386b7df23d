import nock from 'nock';
import {
	NodeApiError,
	NodeOperationError,
	type IDataObject,
	type ILoadOptionsFunctions,
	type INodeListSearchResult,
} from 'n8n-workflow';

import { hasJsonSourceText } from '../../common/exactJson';
import { OpenAiAdminApi } from '../../packages/provider/credentials/OpenAiAdminApi.credentials';
import { OpenAiAdmin } from '../../packages/provider/nodes/OpenAiAdmin/OpenAiAdmin.node';
import { servedFixtures } from '../contract/harness/servedFixtures';
import { createExecuteContext, resultsOf } from '../helpers/executeContext';

const BASE = 'https://api.openai.test';
const ADMIN_KEY = 'sk-admin-UnitTestSecretKey0123456789abcdef';
const credentials = { apiKey: ADMIN_KEY, organizationId: 'org-test', baseUrl: `${BASE}/v1` };

/** Every answer the fixtures below serve, judged at the end against the official definition. */
const fixtures = servedFixtures({
	specFile: 'openai-openapi.yaml',
	basePath: '/v1',
	// Its amount is the word "twelve", to show that the node refuses it.
	malformedOnPurpose: ['rejects an amount that is not a number'],
});

async function run(
	parameters: IDataObject | IDataObject[],
	opts: { items?: number; continueOnFail?: boolean } = {},
) {
	const context = createExecuteContext({
		nodeType: new OpenAiAdmin(),
		credentialType: new OpenAiAdminApi(),
		credentials,
		parameters,
		onResponse: fixtures.record,
		items: Array.from({ length: opts.items ?? 1 }, () => ({ json: {} })),
		continueOnFail: opts.continueOnFail,
	});
	const [output] = await new OpenAiAdmin().execute.call(context);
	const resource = String((Array.isArray(parameters) ? parameters[0] : parameters).resource);
	const results = resultsOf(output, resource);
	return { output: output.map((item, index) => ({ ...item, json: results[index] })), context };
}

async function runError(parameters: IDataObject): Promise<Error> {
	try {
		await run(parameters);
	} catch (error) {
		return error as Error;
	}
	throw new Error('expected the node to fail');
}

/** A cost bucket in the documented shape of GET /organization/costs. */
function costBucket(
	start: number,
	results: Array<{ value: number | string; project_id?: string | null; line_item?: string | null }>,
) {
	return {
		object: 'bucket',
		start_time: start,
		end_time: start + 86400,
		results: results.map((r) => ({
			object: 'organization.costs.result',
			amount: { value: r.value, currency: 'usd' },
			line_item: r.line_item ?? null,
			project_id: r.project_id ?? null,
		})),
	};
}

/** A project API key in the documented shape of GET /organization/projects/{id}/api_keys. */
function projectKey(id: string) {
	return {
		object: 'organization.project.api_key',
		redacted_value: 'sk-proj-...abcd',
		name: id,
		created_at: 1730419200,
		last_used_at: null,
		id,
		owner_project_access: 'active',
		owner: {
			type: 'user',
			user: { id: 'user_1', email: 'ada@example.com', name: 'Ada', created_at: 1, role: 'owner' },
		},
	};
}

/** A page of a list in the documented shape. */
function list(data: unknown[]) {
	return { object: 'list', data, first_id: null, last_id: null, has_more: false };
}

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());
afterAll(() => nock.enableNetConnect());

describe('OpenAI Admin: costs', () => {
	it('follows next_page to the end and keeps amounts exact', async () => {
		const day1 = 1730419200;
		const page1 = {
			object: 'page',
			data: [costBucket(day1, [{ value: 0.06, project_id: 'proj_a', line_item: 'gpt-4o, input' }])],
			has_more: true,
			next_page: 'page_AAAA',
		};
		// A raw body so the amount keeps digits a double would round away.
		const page2 = `{"object":"page","data":[{"object":"bucket","start_time":${day1 + 86400},"end_time":${day1 + 172800},"results":[{"object":"organization.costs.result","amount":{"value":0.1234567890123456789,"currency":"usd"},"line_item":"gpt-4o, output","project_id":"proj_b"}]}],"has_more":false,"next_page":null}`;
		const scope = nock(BASE, {
			reqheaders: { authorization: `Bearer ${ADMIN_KEY}`, 'openai-organization': 'org-test' },
		})
			.get('/v1/organization/costs')
			.query({
				start_time: day1,
				end_time: day1 + 172800,
				bucket_width: '1d',
				group_by: ['project_id', 'line_item'],
				limit: 180,
			})
			.reply(200, page1)
			.get('/v1/organization/costs')
			.query((q) => q.page === 'page_AAAA' && q.limit === '180')
			.reply(200, page2, { 'content-type': 'application/json' });

		const { output } = await run({
			resource: 'cost',
			operation: 'get',
			startTime: '2024-11-01T00:00:00Z',
			endTime: '2024-11-03T00:00:00Z',
			returnAll: true,
		});
		expect(scope.isDone()).toBe(true);
		expect(output.map((item) => item.json)).toEqual([
			{
				cost_date: '2024-11-01',
				bucket_start: '2024-11-01T00:00:00.000Z',
				bucket_end: '2024-11-02T00:00:00.000Z',
				amount: '0.06',
				currency: 'usd',
				project_id: 'proj_a',
				line_item: 'gpt-4o, input',
				api_key_id: null,
			},
			expect.objectContaining({
				cost_date: '2024-11-02',
				project_id: 'proj_b',
				line_item: 'gpt-4o, output',
			}),
		]);
		expect(output[1].json.amount).toBe(
			hasJsonSourceText ? '0.1234567890123456789' : String(0.1234567890123456789),
		);
		expect(output.every((item) => JSON.stringify(item.pairedItem) === '{"item":0}')).toBe(true);
	});

	it('waits for Retry-After on 429, then succeeds', async () => {
		nock(BASE)
			.get('/v1/organization/costs')
			.query(true)
			.reply(
				429,
				{ error: { message: 'Rate limit reached', type: 'rate_limit_exceeded' } },
				{ 'Retry-After': '1' },
			)
			.get('/v1/organization/costs')
			.query(true)
			.reply(200, {
				object: 'page',
				data: [costBucket(1730419200, [{ value: 1.5 }])],
				has_more: false,
				next_page: null,
			});
		const started = Date.now();
		const { output } = await run({
			resource: 'cost',
			operation: 'get',
			startTime: '2024-11-01T00:00:00Z',
			returnAll: true,
		});
		expect(Date.now() - started).toBeGreaterThanOrEqual(950);
		expect(output).toHaveLength(1);
		expect(output[0].json.amount).toBe('1.5');
	});

	it("gives up after a bounded number of retries with OpenAI's message", async () => {
		const scope = nock(BASE)
			.get('/v1/organization/costs')
			.query(true)
			.times(5)
			.reply(503, { error: { message: 'The server is overloaded' } }, { 'Retry-After': '0' });
		const error = await runError({
			resource: 'cost',
			operation: 'get',
			startTime: '2024-11-01T00:00:00Z',
		});
		expect(scope.isDone()).toBe(true);
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.message).toContain('The server is overloaded');
		expect((error as NodeApiError).httpCode).toBe('503');
	});

	it('rejects an amount that is not a number instead of counting it as zero', async () => {
		nock(BASE)
			.get('/v1/organization/costs')
			.query(true)
			.reply(200, {
				object: 'page',
				data: [costBucket(1730419200, [{ value: 'twelve' }])],
				has_more: false,
				next_page: null,
			});
		const error = await runError({
			resource: 'cost',
			operation: 'get',
			startTime: '2024-11-01T00:00:00Z',
		});
		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error.message).toMatch(/not a number/);
		expect((error as NodeOperationError).description).toContain('"twelve"');
	});

	it('summarizes month-to-date and today per project, exactly', async () => {
		const asOf = '2026-11-25T12:00:00Z';
		const nov1 = Date.UTC(2026, 10, 1) / 1000;
		const nov25 = Date.UTC(2026, 10, 25) / 1000;
		nock(BASE)
			.get('/v1/organization/costs')
			.query({
				start_time: nov1,
				end_time: Date.parse(asOf) / 1000 + 1,
				bucket_width: '1d',
				group_by: 'project_id',
				limit: 180,
			})
			.reply(200, {
				object: 'page',
				data: [
					costBucket(nov1, [
						{ value: 0.1, project_id: 'proj_a' },
						{ value: 2, project_id: 'proj_b' },
					]),
					costBucket(nov25, [
						{ value: 0.2, project_id: 'proj_a' },
						{ value: 0.7, project_id: null },
					]),
				],
				has_more: false,
				next_page: null,
			})
			.get('/v1/organization/projects')
			.query({ include_archived: 'true', limit: 100 })
			.reply(200, {
				object: 'list',
				data: [
					{
						id: 'proj_a',
						object: 'organization.project',
						name: 'Alpha',
						status: 'active',
						created_at: 1,
					},
					{
						id: 'proj_b',
						object: 'organization.project',
						name: 'Beta',
						status: 'archived',
						created_at: 2,
					},
					{
						id: 'proj_c',
						object: 'organization.project',
						name: 'Gamma',
						status: 'active',
						created_at: 3,
					},
				],
				first_id: 'proj_a',
				last_id: 'proj_c',
				has_more: false,
			})
			.get('/v1/organization/projects/proj_a/api_keys')
			.query((query) => query.owner_project_access === 'any')
			.reply(200, list([projectKey('key_1'), projectKey('key_2')]))
			.get('/v1/organization/projects/proj_b/api_keys')
			.query((query) => query.owner_project_access === 'any')
			.reply(200, list([]))
			.get('/v1/organization/projects/proj_c/api_keys')
			.query((query) => query.owner_project_access === 'any')
			.reply(200, list([projectKey('key_3')]));

		const { output } = await run({ resource: 'cost', operation: 'summarize', options: { asOf } });
		expect(output).toHaveLength(1);
		const summary = output[0].json;
		expect(summary).toMatchObject({
			total_cost_usd: '3',
			month_cost_usd: '2.3',
			today_cost_usd: '0.9',
			projects: [
				{
					project_id: 'proj_a',
					project_name: 'Alpha',
					month_cost: '0.3',
					today_cost: '0.2',
					keys_in_project: 2,
				},
				{
					project_id: 'proj_b',
					project_name: 'Beta',
					month_cost: '2',
					today_cost: '0',
					keys_in_project: 0,
				},
				{
					project_id: 'proj_c',
					project_name: 'Gamma',
					month_cost: '0',
					today_cost: '0',
					keys_in_project: 1,
				},
			],
		});
		expect(typeof summary.synced_at).toBe('string');
	});
});

describe('OpenAI Admin: cost summary over many results', () => {
	it('adds up every cost result, not only the first page of a default limit', async () => {
		const nov1 = Date.UTC(2026, 10, 1) / 1000;
		const results = Array.from({ length: 120 }, (_, n) => ({
			value: 0.01,
			project_id: `proj_${n % 3}`,
		}));
		nock(BASE)
			.get('/v1/organization/costs')
			.query(true)
			.reply(200, {
				object: 'page',
				data: [costBucket(nov1, results)],
				has_more: false,
				next_page: null,
			})
			.get('/v1/organization/projects')
			.query(true)
			.reply(200, list([]));
		const { output } = await run({
			resource: 'cost',
			operation: 'summarize',
			options: { asOf: '2026-11-25T12:00:00Z', countKeys: false },
		});
		expect(output[0].json.total_cost_usd).toBe('1.2');
	});
});

describe('OpenAI Admin: lists', () => {
	it('follows after=<last_id> while has_more, and honours Limit', async () => {
		const project = (id: string) => ({
			id,
			object: 'organization.project',
			name: id,
			created_at: 1,
			status: 'active',
		});
		nock(BASE)
			.get('/v1/organization/projects')
			.query({ limit: 100 })
			.reply(200, {
				object: 'list',
				data: [project('p1'), project('p2')],
				first_id: 'p1',
				last_id: 'p2',
				has_more: true,
			})
			.get('/v1/organization/projects')
			.query({ limit: 100, after: 'p2' })
			.reply(200, {
				object: 'list',
				data: [project('p3')],
				first_id: 'p3',
				last_id: 'p3',
				has_more: false,
			});
		const all = await run({ resource: 'project', operation: 'getAll', returnAll: true });
		expect(all.output.map((item) => item.json.id)).toEqual(['p1', 'p2', 'p3']);

		nock(BASE)
			.get('/v1/organization/projects')
			.query({ limit: 2, include_archived: 'true' })
			.reply(200, {
				object: 'list',
				data: [project('p1'), project('p2')],
				last_id: 'p2',
				has_more: true,
			});
		const limited = await run({
			resource: 'project',
			operation: 'getAll',
			returnAll: false,
			limit: 2,
			includeArchived: true,
		});
		expect(limited.output.map((item) => item.json.id)).toEqual(['p1', 'p2']);
	});

	it('flattens usage buckets into one item per result', async () => {
		nock(BASE)
			.get('/v1/organization/usage/completions')
			.query({
				start_time: 1730419200,
				bucket_width: '1h',
				group_by: ['model', 'api_key_id'],
				project_ids: 'proj_a',
				limit: 168,
			})
			.reply(200, {
				object: 'page',
				data: [
					{
						object: 'bucket',
						start_time: 1730419200,
						end_time: 1730422800,
						results: [
							{
								object: 'organization.usage.completions.result',
								input_tokens: 1000,
								output_tokens: 500,
								input_cached_tokens: 800,
								num_model_requests: 5,
								model: 'gpt-4o-mini',
								api_key_id: 'key_1',
							},
							{
								object: 'organization.usage.completions.result',
								input_tokens: 20,
								output_tokens: 10,
								input_cached_tokens: 0,
								num_model_requests: 1,
								model: 'gpt-4o',
								api_key_id: 'key_2',
							},
						],
					},
				],
				has_more: false,
				next_page: null,
			});
		const { output } = await run({
			resource: 'usage',
			operation: 'get',
			usageType: 'completions',
			startTime: '2024-11-01T00:00:00Z',
			bucketWidth: '1h',
			groupBy: ['model', 'api_key_id'],
			filters: { projectIds: 'proj_a' },
			returnAll: true,
		});
		expect(output.map((item) => item.json)).toEqual([
			expect.objectContaining({
				model: 'gpt-4o-mini',
				input_tokens: 1000,
				bucket_start: '2024-11-01T00:00:00.000Z',
				bucket_end: '2024-11-01T01:00:00.000Z',
			}),
			expect.objectContaining({ model: 'gpt-4o', api_key_id: 'key_2' }),
		]);
	});
});

describe('OpenAI Admin: keys', () => {
	it('creates a service account whose key is returned once, and another key for it', async () => {
		nock(BASE)
			.post('/v1/organization/projects/proj_a/service_accounts', { name: 'billing-bot' })
			.reply(200, {
				object: 'organization.project.service_account',
				id: 'svc_acct_1',
				name: 'billing-bot',
				role: 'member',
				created_at: 1711471533,
				api_key: {
					object: 'organization.project.service_account.api_key',
					value: 'sk-abcdefghijklmnop123',
					name: 'Secret Key',
					created_at: 1711471533,
					id: 'key_abc',
				},
			})
			.post('/v1/organization/projects/proj_a/service_accounts/svc_acct_1/api_keys', {
				name: 'Production App',
				scopes: ['api.responses.write'],
			})
			.reply(200, {
				object: 'organization.project.service_account.api_key',
				value: 'sk-second',
				name: 'Production App',
				created_at: 1711471534,
				id: 'key_def',
			});
		const created = await run({
			resource: 'serviceAccount',
			operation: 'create',
			projectId: 'proj_a',
			name: 'billing-bot',
		});
		expect((created.output[0].json.api_key as IDataObject).value).toBe('sk-abcdefghijklmnop123');
		const another = await run({
			resource: 'serviceAccount',
			operation: 'createApiKey',
			projectId: 'proj_a',
			serviceAccountId: 'svc_acct_1',
			additionalFields: { name: 'Production App', scopes: 'api.responses.write' },
		});
		expect(another.output[0].json.id).toBe('key_def');
	});

	it('does not repeat a create that failed with a 5xx, since it may have happened', async () => {
		const scope = nock(BASE)
			.post('/v1/organization/projects', { name: 'Once' })
			.reply(500, { error: { message: 'The server had an error' } }, { 'Retry-After': '0' });
		const error = await runError({ resource: 'project', operation: 'create', name: 'Once' });
		expect(scope.isDone()).toBe(true);
		expect((error as NodeApiError).httpCode).toBe('500');
		expect(error.message).toContain('The server had an error');
	});

	it('counts a service account already deleted as deleted when told to, and only then', async () => {
		const path = '/v1/organization/projects/proj_a/service_accounts/svc_acct_gone';
		const gone = { error: { message: 'No such service account', type: 'invalid_request_error' } };
		nock(BASE).delete(path).times(2).reply(404, gone);
		const parameters = {
			resource: 'serviceAccount',
			operation: 'delete',
			projectId: 'proj_a',
			serviceAccountId: 'svc_acct_gone',
		};
		expect(((await runError(parameters)) as NodeApiError).httpCode).toBe('404');
		const { output } = await run({ ...parameters, alreadyGoneIsDeleted: true });
		expect(output[0].json).toEqual({
			object: 'organization.project.service_account.deleted',
			id: 'svc_acct_gone',
			deleted: true,
			already_gone: true,
		});
	});

	it('encodes ids typed by users into the path', async () => {
		nock(BASE).delete('/v1/organization/projects/proj_a/api_keys/key%2F..%2Fx').reply(200, {
			object: 'organization.project.api_key.deleted',
			id: 'key/../x',
			deleted: true,
		});
		const { output } = await run({
			resource: 'projectApiKey',
			operation: 'delete',
			projectId: 'proj_a',
			keyId: 'key/../x',
		});
		expect(output[0].json.deleted).toBe(true);
	});
});

describe('OpenAI Admin: bad input and failures', () => {
	it.each([
		[
			{
				resource: 'cost',
				operation: 'get',
				startTime: '2024-11-05T00:00:00Z',
				endTime: '2024-11-01T00:00:00Z',
			},
			/"End Time" must be after "Start Time" \(item 0\)/,
		],
		[
			{ resource: 'cost', operation: 'get', startTime: 'yesterday-ish' },
			/"Start Time" is not a valid date \(item 0\)/,
		],
		[
			{ resource: 'usage', operation: 'get', startTime: '2024-11-01T00:00:00Z', bucketWidth: '2h' },
			/"Bucket Width" must be 1m, 1h or 1d, got "2h"/,
		],
		[
			{
				resource: 'usage',
				operation: 'get',
				usageType: 'vector_stores',
				startTime: '2024-11-01T00:00:00Z',
				groupBy: ['model'],
			},
			/"Group By" model is not available for Vector Stores/,
		],
		[
			{ resource: 'project', operation: 'getAll', returnAll: false, limit: 0 },
			/Limit must be a whole number of at least 1, got 0/,
		],
		[
			{ resource: 'projectApiKey', operation: 'getAll', projectId: '  ' },
			/"Project ID" is required \(item 0\)/,
		],
		[
			{
				resource: 'projectRateLimit',
				operation: 'update',
				projectId: 'p',
				rateLimitId: 'rl',
				limits: { max_requests_per_1_minute: -1 },
			},
			/"Max Requests per Minute" must be a whole number/,
		],
	])('%j fails with a NodeOperationError naming the field', async (parameters, message) => {
		const error = await runError(parameters);
		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error.message).toMatch(message);
		expect((error as NodeOperationError).context.itemIndex).toBe(0);
	});

	it('says the admin key was rejected on 401 and never echoes it', async () => {
		nock(BASE)
			.get('/v1/organization/projects')
			.query(true)
			.reply(401, {
				error: {
					message: `Incorrect API key provided: ${ADMIN_KEY.slice(0, 12)}****${ADMIN_KEY.slice(-4)}. You can find your API key at https://platform.openai.com/account/api-keys.`,
				},
			});
		const error = await runError({ resource: 'project', operation: 'getAll' });
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.message).toMatch(/OpenAI rejected the admin key \(401\)/);
		const everything = JSON.stringify({ ...error, message: error.message, stack: error.stack });
		expect(everything).not.toContain(ADMIN_KEY);
		expect(everything).not.toContain(ADMIN_KEY.slice(-4));
	});

	it('with Continue On Fail, a failing item becomes an error item and the others still run', async () => {
		nock(BASE)
			.get('/v1/organization/projects/proj_ok')
			.reply(200, {
				id: 'proj_ok',
				object: 'organization.project',
				name: 'OK',
				status: 'active',
				created_at: 1,
			})
			.get('/v1/organization/projects/proj_missing')
			.reply(404, {
				error: { message: 'No such project: proj_missing', type: 'invalid_request_error' },
			});
		const { output } = await run(
			[
				{ resource: 'project', operation: 'get', projectId: 'proj_missing' },
				{ resource: 'project', operation: 'get', projectId: 'proj_ok' },
			],
			{ items: 2, continueOnFail: true },
		);
		expect(output).toEqual([
			{
				json: expect.objectContaining({
					error: expect.stringContaining('No such project: proj_missing'),
				}),
				pairedItem: { item: 0 },
			},
			{ json: expect.objectContaining({ id: 'proj_ok' }), pairedItem: { item: 1 } },
		]);
	});
});

describe('OpenAI Admin: as the official definition says', () => {
	it('creates an admin key that expires with expires_in_seconds, bounded to a year', async () => {
		let sent: unknown;
		nock(BASE)
			.post('/v1/organization/admin_api_keys', (body) => {
				sent = body;
				return true;
			})
			.reply(200, {
				object: 'organization.admin_api_key',
				id: 'key_1',
				name: 'ci',
				redacted_value: 'sk-admin...-new',
				created_at: 1730419200,
				expires_at: 1733011200,
				last_used_at: null,
				owner: {
					type: 'user',
					object: 'organization.user',
					id: 'user_1',
					name: 'Ada',
					created_at: 1,
					role: 'owner',
				},
				value: 'sk-admin-new',
			});
		await run({
			resource: 'adminApiKey',
			operation: 'create',
			name: 'ci',
			expiresInSeconds: 2592000,
		});
		expect(sent).toEqual({ name: 'ci', expires_in_seconds: 2592000 });
		for (const bad of [31536001, 1.5, -1]) {
			const error = await runError({
				resource: 'adminApiKey',
				operation: 'create',
				name: 'ci',
				expiresInSeconds: bad,
			});
			expect(error.message).toBe(
				`"Expires In (Seconds)" must be a whole number from 1 to 31536000, or 0 for no expiry, got ${bad} (item 0)`,
			);
		}
	});

	it('sends each usage type only the filters its endpoint defines', async () => {
		const queries: Array<Record<string, unknown>> = [];
		nock(BASE)
			.get(/\/v1\/organization\/usage\/(vector_stores|web_search_calls)/)
			.query((query) => {
				queries.push(query);
				return true;
			})
			.times(2)
			.reply(200, { object: 'page', data: [], has_more: false, next_page: null });
		await run({
			resource: 'usage',
			operation: 'get',
			usageType: 'vector_stores',
			startTime: '2026-11-01T00:00:00Z',
			endTime: '2026-11-02T00:00:00Z',
			filters: { projectIds: 'proj_a' },
		});
		await run({
			resource: 'usage',
			operation: 'get',
			usageType: 'web_search_calls',
			startTime: '2026-11-01T00:00:00Z',
			endTime: '2026-11-02T00:00:00Z',
			groupBy: ['context_level'],
			filters: { keyIds: 'key_a', contextLevels: ['high'] },
		});
		expect(queries.map((query) => Object.keys(query).sort())).toEqual([
			['bucket_width', 'end_time', 'limit', 'project_ids', 'start_time'],
			[
				'api_key_ids',
				'bucket_width',
				'context_levels',
				'end_time',
				'group_by',
				'limit',
				'start_time',
			],
		]);
		for (const [usageType, filter, label] of [
			['vector_stores', { userIds: 'user_a' }, 'User IDs'],
			['code_interpreter_sessions', { keyIds: 'key_a' }, 'API Key IDs'],
			['vector_stores', { models: 'gpt-4o' }, 'Models'],
		] as const) {
			const error = await runError({
				resource: 'usage',
				operation: 'get',
				usageType,
				startTime: '2026-11-01T00:00:00Z',
				filters: filter,
			});
			expect(error.message).toMatch(new RegExp(`^The filter "${label}" is not available for`));
		}
		const usageType = new OpenAiAdmin().description.properties.find((p) => p.name === 'usageType');
		const offered = (usageType?.options as Array<{ value: string }>).map((option) => option.value);
		expect(offered).toEqual(expect.arrayContaining(['file_search_calls', 'web_search_calls']));
	});
});

/** The node's output items' JSON, for tests that look only at that. */
async function runJson(parameters: IDataObject) {
	return (await run(parameters)).output.map((item) => item.json);
}

describe('OpenAI Admin: spend limits and alerts', () => {
	it('sets a project spend limit typed in USD as whole cents, and shows it back in USD', async () => {
		let sent: unknown;
		nock(BASE)
			.post('/v1/organization/projects/proj_1/spend_limit', (body) => {
				sent = body;
				return true;
			})
			.reply(200, {
				object: 'project.spend_limit',
				threshold_amount: 9950,
				currency: 'USD',
				interval: 'month',
				enforcement: { status: 'active' },
			});
		const [limit] = await runJson({
			resource: 'spendLimit',
			operation: 'set',
			scope: 'project',
			projectId: 'proj_1',
			thresholdUsd: '99.50',
		});
		expect(sent).toEqual({ threshold_amount: 9950, currency: 'USD', interval: 'month' });
		expect(limit).toMatchObject({ threshold_amount: 9950, threshold_usd: '99.5' });
	});

	it('refuses an amount that is not whole cents, naming the field, before any request', async () => {
		for (const bad of ['-5', '1.234', 'abc', '0', '1e3', '']) {
			const error = await runError({
				resource: 'spendLimit',
				operation: 'set',
				scope: 'organization',
				thresholdUsd: bad,
			});
			expect(error.message).toMatch(/"Limit \(USD\)"/);
		}
		expect(nock.pendingMocks()).toEqual([]);
	});

	it('creates an organization alert emailing several recipients', async () => {
		let sent: unknown;
		nock(BASE)
			.post('/v1/organization/spend_alerts', (body) => {
				sent = body;
				return true;
			})
			.reply(200, {
				id: 'alert_1',
				object: 'organization.spend_alert',
				threshold_amount: 25000,
				currency: 'USD',
				interval: 'month',
				notification_channel: { type: 'email', recipients: ['a@example.com'] },
			});
		await runJson({
			resource: 'spendAlert',
			operation: 'create',
			scope: 'organization',
			thresholdUsd: '250',
			recipients: 'a@example.com, b@example.com',
		});
		expect(sent).toEqual({
			threshold_amount: 25000,
			currency: 'USD',
			interval: 'month',
			notification_channel: { type: 'email', recipients: ['a@example.com', 'b@example.com'] },
		});
	});
});

describe('OpenAI Admin: declared endpoints', () => {
	it('sends only the hosted tools the user chose to change', async () => {
		let sent: unknown;
		nock(BASE)
			.post('/v1/organization/projects/proj_1/hosted_tool_permissions', (body) => {
				sent = body;
				return true;
			})
			.reply(200, {
				file_search: { enabled: true },
				web_search: { enabled: false },
				image_generation: { enabled: true },
				mcp: { enabled: true },
				code_interpreter: { enabled: true },
			});
		await runJson({
			resource: 'projectPermission',
			operation: 'updateHostedTools',
			projectId: 'proj_1',
			webSearch: 'disabled',
			mcp: 'enabled',
		});
		expect(sent).toEqual({ web_search: { enabled: false }, mcp: { enabled: true } });
	});

	it('activates at most 10 certificates at a time', async () => {
		const ids = Array.from({ length: 11 }, (_, n) => `cert_${n}`).join(',');
		const error = await runError({
			resource: 'certificate',
			operation: 'activate',
			scope: 'organization',
			certificateIds: ids,
		});
		expect(error.message).toBe('"Certificate IDs" must be at most 10 values, got 11 (item 0)');
	});

	it("follows a group list's next cursor to the end", async () => {
		const group = (id: string) => ({
			id,
			name: id,
			created_at: 1,
			is_scim_managed: false,
			group_type: 'group',
		});
		nock(BASE)
			.get('/v1/organization/groups')
			.query({ limit: 100 })
			.reply(200, { object: 'list', data: [group('g1')], has_more: true, next: 'cursor_2' })
			.get('/v1/organization/groups')
			.query({ limit: 100, after: 'cursor_2' })
			.reply(200, { object: 'list', data: [group('g2')], has_more: false, next: null });
		const groups = await runJson({ resource: 'group', operation: 'getAll', returnAll: true });
		expect(groups.map((g) => g.id)).toEqual(['g1', 'g2']);
	});

	it('puts ids into the path encoded, and refuses an empty one by name', async () => {
		nock(BASE)
			.delete('/v1/organization/groups/g%2F..%2Fx/users/user_1')
			.reply(200, { object: 'group.user.deleted', deleted: true });
		await runJson({
			resource: 'groupUser',
			operation: 'remove',
			groupId: 'g/../x',
			userId: 'user_1',
		});
		const error = await runError({
			resource: 'groupUser',
			operation: 'remove',
			groupId: ' ',
			userId: 'u',
		});
		expect(error.message).toBe('"Group ID" is required (item 0)');
	});
});

describe('OpenAI Admin: resource locators', () => {
	const search = async (
		method: string,
		filter?: string,
		token?: string,
		parameters: IDataObject = {},
	) => {
		const context = createExecuteContext({
			nodeType: new OpenAiAdmin(),
			credentialType: new OpenAiAdminApi(),
			credentials,
			parameters,
			onResponse: fixtures.record,
		}) as unknown as ILoadOptionsFunctions;
		const methods = new OpenAiAdmin().methods.listSearch as Record<
			string,
			(
				this: ILoadOptionsFunctions,
				filter?: string,
				token?: string,
			) => Promise<INodeListSearchResult>
		>;
		return await methods[method].call(context, filter, token);
	};
	const project = (id: string, name: string) => ({
		id,
		object: 'organization.project',
		name,
		created_at: 1,
		status: 'active',
	});

	it('lists projects page by page, filtered by name or ID, as "name (id)"', async () => {
		nock(BASE)
			.get('/v1/organization/projects')
			.query({ limit: 100 })
			.reply(200, {
				object: 'list',
				data: [project('proj_a', 'Billing'), project('proj_b', 'Search')],
				first_id: 'proj_a',
				last_id: 'proj_b',
				has_more: true,
			})
			.get('/v1/organization/projects')
			.query({ limit: 100, after: 'proj_b' })
			.reply(200, {
				object: 'list',
				data: [project('proj_c', 'Billing EU')],
				first_id: 'proj_c',
				last_id: 'proj_c',
				has_more: false,
			});
		const first = await search('searchProjects', 'billing');
		expect(first).toEqual({
			results: [{ name: 'Billing (proj_a)', value: 'proj_a' }],
			paginationToken: 'proj_b',
		});
		expect(await search('searchProjects', 'billing', first.paginationToken)).toEqual({
			results: [{ name: 'Billing EU (proj_c)', value: 'proj_c' }],
			paginationToken: undefined,
		});
	});

	it('lists the service accounts of the project chosen above, and nothing before one is', async () => {
		expect(await search('searchServiceAccounts')).toEqual({ results: [] });
		nock(BASE)
			.get('/v1/organization/projects/proj_a/service_accounts')
			.query({ limit: 100 })
			.reply(200, {
				object: 'list',
				data: [
					{
						object: 'organization.project.service_account',
						id: 'svc_acct_1',
						name: 'ci-bot',
						role: 'member',
						created_at: 1,
					},
				],
				first_id: 'svc_acct_1',
				last_id: 'svc_acct_1',
				has_more: false,
			});
		expect(
			await search('searchServiceAccounts', '', undefined, {
				projectId: { __rl: true, mode: 'list', value: 'proj_a' },
			}),
		).toEqual({
			results: [{ name: 'ci-bot (svc_acct_1)', value: 'svc_acct_1' }],
			paginationToken: undefined,
		});
	});

	it('reads a picked ID and a typed one alike', async () => {
		nock(BASE)
			.get('/v1/organization/projects/proj_a')
			.reply(200, project('proj_a', 'Billing'))
			.get('/v1/organization/projects/proj_b')
			.reply(200, project('proj_b', 'Search'));
		for (const [projectId, name] of [
			[{ __rl: true, mode: 'list', value: 'proj_a' }, 'Billing'],
			['proj_b', 'Search'],
		] as const) {
			const { output } = await run({ resource: 'project', operation: 'get', projectId });
			expect(output[0].json.name).toBe(name);
		}
	});
});

describe('the fixtures above', () => {
	it('serve only answers the official definition allows', async () => {
		const { judged, problems } = await fixtures.problems();
		expect(problems).toEqual([]);
		expect(judged).toBeGreaterThan(5);
	});
});
