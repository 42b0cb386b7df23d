import nock from 'nock';
import {
	NodeApiError,
	NodeOperationError,
	type IDataObject,
	type ILoadOptionsFunctions,
	type INodeListSearchResult,
} from 'n8n-workflow';

import { AnthropicAdminApi } from '../../packages/provider/credentials/AnthropicAdminApi.credentials';
import { ClaudeAdmin } from '../../packages/provider/nodes/ClaudeAdmin/ClaudeAdmin.node';
import { anthropicDefinition } from '../contract/definitions/anthropic';
import { OpenApiContract } from '../contract/harness/openapi';
import { servedFixtures } from '../contract/harness/servedFixtures';
import { createExecuteContext, resultsOf } from '../helpers/executeContext';

const BASE = 'https://api.anthropic.test';
const ADMIN_KEY = 'sk-ant-admin01-UnitTestSecretKey0123456789abcdef';
const credentials = { apiKey: ADMIN_KEY, anthropicVersion: '2023-06-01', baseUrl: BASE };

/** Every answer the fixtures below serve, judged at the end against Anthropic's reference. */
const fixtures = servedFixtures({
	specFile: () => OpenApiContract.fromDocument(anthropicDefinition),
	basePath: '/v1',
	// Its amount is not a decimal, to show that the node refuses it.
	malformedOnPurpose: ['refuses a malformed amount'],
});

/** An API key in the shape of Anthropic's reference (GET /v1/organizations/api_keys). */
function apiKey(fields: IDataObject) {
	return {
		type: 'api_key',
		name: `key ${String(fields.id)}`,
		created_at: '2026-10-01T08:00:00Z',
		created_by: { id: 'user_01', type: 'user' },
		partial_key_hint: 'sk-ant-api03-R2D...igAA',
		workspace_id: null,
		status: 'active',
		...fields,
	};
}

/** A workspace in the shape of Anthropic's reference. */
function workspace(fields: IDataObject) {
	return {
		type: 'workspace',
		name: `workspace ${String(fields.id)}`,
		created_at: '2026-09-01T08:00:00Z',
		archived_at: null,
		...fields,
	};
}

async function run(parameters: IDataObject, continueOnFail = false) {
	const context = createExecuteContext({
		nodeType: new ClaudeAdmin(),
		credentialType: new AnthropicAdminApi(),
		credentials,
		onResponse: fixtures.record,
		parameters,
		continueOnFail,
	});
	const [output] = await new ClaudeAdmin().execute.call(context);
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

/** A cost bucket in the documented shape of GET /v1/organizations/cost_report. */
function costBucket(
	day: string,
	results: Array<{ amount: unknown; workspace_id?: string | null; description?: string | null }>,
) {
	const next = new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000)
		.toISOString()
		.replace('.000Z', 'Z');
	return {
		starting_at: `${day}T00:00:00Z`,
		ending_at: next,
		results: results.map((r) => ({
			currency: 'USD',
			amount: r.amount,
			workspace_id: r.workspace_id ?? null,
			description: r.description ?? null,
			cost_type: r.description ? 'tokens' : null,
			context_window: null,
			model: null,
			service_tier: null,
			token_type: null,
			inference_geo: null,
		})),
	};
}

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());
afterAll(() => nock.enableNetConnect());

describe('Claude Admin: cost report', () => {
	it('turns cents into USD exactly across pages, with the admin key and version headers', async () => {
		nock(BASE, { reqheaders: { 'x-api-key': ADMIN_KEY, 'anthropic-version': '2023-06-01' } })
			.get('/v1/organizations/cost_report')
			.query((q) => q.page === undefined && q.bucket_width === '1d' && q.limit === '31')
			.reply(200, {
				data: [
					costBucket('2026-11-01', [
						{ amount: '0.5', workspace_id: 'wrkspc_01A' },
						{ amount: '123.45', workspace_id: null },
					]),
				],
				has_more: true,
				next_page: 'page_Mg==',
			})
			.get('/v1/organizations/cost_report')
			.query(
				(q) =>
					q.page === 'page_Mg==' &&
					(q['group_by[]'] as string[]).join() === 'workspace_id,description',
			)
			.reply(200, {
				data: [
					costBucket('2026-11-02', [
						{
							amount: '100000000.01',
							workspace_id: 'wrkspc_01A',
							description: 'Claude Sonnet 4.5 Usage - Input Tokens',
						},
					]),
				],
				has_more: false,
				next_page: null,
			});
		const rows = await run({
			resource: 'costReport',
			operation: 'get',
			startingAt: '2026-11-01T00:00:00Z',
			returnAll: true,
		});
		expect(
			rows.map((row) => [row.cost_date, row.amount, row.amount_cents, row.workspace_id]),
		).toEqual([
			['2026-11-01', '0.005', '0.5', 'wrkspc_01A'],
			['2026-11-01', '1.2345', '123.45', null],
			['2026-11-02', '1000000.0001', '100000000.01', 'wrkspc_01A'],
		]);
		expect(rows[2]).toMatchObject({
			currency: 'usd',
			description: 'Claude Sonnet 4.5 Usage - Input Tokens',
			bucket_start: '2026-11-02T00:00:00Z',
		});
	});

	it('refuses a malformed amount naming the bucket, never counting it as zero', async () => {
		nock(BASE)
			.get('/v1/organizations/cost_report')
			.query(true)
			.reply(200, {
				data: [costBucket('2026-11-03', [{ amount: '12,50' }])],
				has_more: false,
				next_page: null,
			});
		const error = await runError({
			resource: 'costReport',
			operation: 'get',
			startingAt: '2026-11-01T00:00:00Z',
			returnAll: true,
		});
		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error.message).toBe(
			'Anthropic returned a cost amount that is not a decimal number (item 0)',
		);
		expect((error as NodeOperationError).description).toContain(
			'"12,50" in the bucket starting 2026-11-03T00:00:00Z',
		);
	});

	it('refuses a bucket width the report does not offer, before any request', async () => {
		const error = await runError({
			resource: 'costReport',
			operation: 'get',
			startingAt: '2026-11-01T00:00:00Z',
			bucketWidth: '1h',
			returnAll: true,
		});
		expect(error.message).toBe('"Bucket Width" must be 1d for the cost report, got "1h" (item 0)');
	});

	it('summarizes month-to-date and today per workspace, the Default Workspace included', async () => {
		nock(BASE)
			.get('/v1/organizations/cost_report')
			.query(
				(q) =>
					q['group_by[]'] === 'workspace_id' &&
					q.starting_at === '2026-11-01T00:00:00.000Z' &&
					// The next UTC midnight: a bucket ending after ending_at is left out, today's included.
					q.ending_at === '2026-11-21T00:00:00.000Z',
			)
			.reply(200, {
				data: [
					costBucket('2026-11-01', [
						{ amount: '250', workspace_id: 'wrkspc_01A' },
						{ amount: '0.5', workspace_id: null },
					]),
					costBucket('2026-11-20', [{ amount: '100.25', workspace_id: 'wrkspc_01A' }]),
				],
				has_more: false,
				next_page: null,
			})
			.get('/v1/organizations/workspaces')
			.query({ include_archived: 'true', limit: '100' })
			.reply(200, {
				data: [workspace({ id: 'wrkspc_01A', name: 'Research' })],
				has_more: false,
				first_id: 'wrkspc_01A',
				last_id: 'wrkspc_01A',
			})
			.get('/v1/organizations/api_keys')
			.query({ status: 'active', limit: '100' })
			.reply(200, {
				data: [
					apiKey({ id: 'apikey_1', workspace_id: 'wrkspc_01A' }),
					apiKey({ id: 'apikey_2' }),
					// The workspace now lives in scope; the top-level field is deprecated (null here).
					apiKey({ id: 'apikey_3', scope: { type: 'workspace', workspace_id: 'wrkspc_01A' } }),
				],
				has_more: false,
			});
		const [summary] = await run({
			resource: 'costReport',
			operation: 'summarize',
			options: { asOf: '2026-11-20T12:00:00Z' },
		});
		expect(summary).toMatchObject({
			total_cost_usd: '3.5075',
			month_cost_usd: '3.5075',
			today_cost_usd: '1.0025',
			month_start: '2026-11-01T00:00:00.000Z',
			open_day: null,
			workspaces: [
				{
					workspace_id: null,
					name: 'Default Workspace',
					month_cost: '0.005',
					today_cost: '0',
					keys_in_workspace: 1,
				},
				{
					workspace_id: 'wrkspc_01A',
					name: 'Research',
					month_cost: '3.5025',
					today_cost: '1.0025',
					keys_in_workspace: 2,
				},
			],
		});
	});
});

describe('Claude Admin: Usage and Cost Analytics', () => {
	const row = (day: string, group: IDataObject, metrics: IDataObject) => ({
		starting_at: `${day}T00:00:00Z`,
		ending_at: new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000)
			.toISOString()
			.replace('.000Z', 'Z'),
		group: { api_key_id: null, workspace_id: null, model: null, ...group },
		...metrics,
	});

	it('reads billed cost by API key over 40 days in two windows of at most 31, every page, amounts in USD exactly', async () => {
		const seen: string[] = [];
		const scope = nock(BASE, {
			reqheaders: { 'anthropic-beta': 'analytics-usage-cost-2026-08-24' },
		})
			.get('/v1/organizations/analytics/cost')
			.query((query) => {
				seen.push(
					`${String(query.starting_at)}..${String(query.ending_at)}${query.page ? ` ${String(query.page)}` : ''}`,
				);
				return query.time_bucket_width === '1d' && query['group_by[]'] === 'api_key_id';
			})
			.times(3)
			.reply((uri) => {
				const page = new URL(uri, BASE).searchParams.get('page');
				const first = new URL(uri, BASE).searchParams.get('starting_at')!.startsWith('2026-10-01');
				if (first && !page)
					return [
						200,
						{
							data: [
								row(
									'2026-10-01',
									{ api_key_id: 'apikey_A' },
									{
										cost: {
											amount: '1234.5678',
											list_amount: '1500',
											currency: 'USD',
											requests: 31,
										},
									},
								),
							],
							has_more: true,
							next_page: 'page_2',
							data_refreshed_at: '2026-11-10T01:00:00Z',
						},
					];
				if (first)
					return [
						200,
						{
							data: [
								row(
									'2026-10-02',
									{ api_key_id: 'apikey_B' },
									{
										cost: { amount: '0.0001', list_amount: '0.0001', currency: 'USD', requests: 1 },
									},
								),
							],
							has_more: false,
							next_page: null,
							data_refreshed_at: '2026-11-10T01:00:00Z',
						},
					];
				return [
					200,
					{
						data: [
							row(
								'2026-11-05',
								{ api_key_id: 'apikey_A' },
								{ cost: { amount: '10', list_amount: '12.5', currency: 'USD', requests: 2 } },
							),
						],
						has_more: false,
						next_page: null,
						data_refreshed_at: '2026-11-10T01:00:00Z',
					},
				];
			});
		const rows = await run({
			resource: 'analytics',
			operation: 'getCost',
			startingAt: '2026-10-01T00:00:00Z',
			endingAt: '2026-11-10T00:00:00Z',
			timeBucket: '1d',
			groupBy: ['api_key_id'],
			returnAll: true,
		});
		expect(scope.isDone()).toBe(true);
		expect(seen).toEqual([
			'2026-10-01T00:00:00.000Z..2026-11-01T00:00:00.000Z',
			'2026-10-01T00:00:00.000Z..2026-11-01T00:00:00.000Z page_2',
			'2026-11-01T00:00:00.000Z..2026-11-10T00:00:00.000Z',
		]);
		expect(rows).toEqual([
			expect.objectContaining({
				cost_date: '2026-10-01',
				api_key_id: 'apikey_A',
				amount: '12.345678',
				list_amount: '15',
				currency: 'USD',
				requests: 31,
			}),
			expect.objectContaining({
				cost_date: '2026-10-02',
				api_key_id: 'apikey_B',
				amount: '0.000001',
			}),
			expect.objectContaining({
				cost_date: '2026-11-05',
				api_key_id: 'apikey_A',
				amount: '0.1',
				list_amount: '0.125',
			}),
		]);
		// Dimensions not grouped by stay out of the item.
		expect(rows[0]).not.toHaveProperty('workspace_id');
	});

	it('reads token usage by model with every count in its own field', async () => {
		nock(BASE)
			.get('/v1/organizations/analytics/usage')
			.query(true)
			.reply(200, {
				data: [
					row(
						'2026-11-01',
						{ model: 'claude-sonnet-4-5' },
						{
							usage: {
								uncached_input_tokens: 1500,
								cache_creation: { ephemeral_5m_input_tokens: 500, ephemeral_1h_input_tokens: 100 },
								cache_read_input_tokens: 200,
								output_tokens: 300,
								total_tokens: 2600,
								requests: 4,
								server_tool_use: { web_search_requests: 2 },
							},
						},
					),
				],
				has_more: false,
				next_page: null,
				data_refreshed_at: '2026-11-02T01:00:00Z',
			});
		const [usage] = await run({
			resource: 'analytics',
			operation: 'getUsage',
			startingAt: '2026-11-01T00:00:00Z',
			endingAt: '2026-11-02T00:00:00Z',
			timeBucket: 'none',
			groupBy: ['model'],
			returnAll: true,
		});
		expect(usage).toEqual({
			model: 'claude-sonnet-4-5',
			starting_at: '2026-11-01T00:00:00Z',
			ending_at: '2026-11-02T00:00:00Z',
			uncached_input_tokens: 1500,
			cache_creation_5m_input_tokens: 500,
			cache_creation_1h_input_tokens: 100,
			cache_read_input_tokens: 200,
			output_tokens: 300,
			total_tokens: 2600,
			requests: 4,
			web_search_requests: 2,
			web_fetch_requests: 0,
		});
	});

	it('refuses a start before 2026-01-01, which the Analytics API does not cover, before any request', async () => {
		const error = await runError({
			resource: 'analytics',
			operation: 'getCost',
			startingAt: '2025-12-01T00:00:00Z',
			endingAt: '2026-01-05T00:00:00Z',
			groupBy: ['api_key_id'],
			returnAll: true,
		});
		expect(error.message).toMatch(
			/^"Starting At" must be 2026-01-01 or later for the Analytics API, got 2025-12-01T00:00:00.000Z/,
		);
	});
});

describe('Claude Admin: spend limits', () => {
	const limit = (fields: IDataObject) => ({
		type: 'spend_limit',
		id: 'spl_01A',
		currency: 'USD',
		period: 'monthly',
		scope: { type: 'workspace', workspace_id: 'wrkspc_01A' },
		is_enabled: true,
		created_at: '2026-11-01T00:00:00Z',
		updated_at: '2026-11-01T00:00:00Z',
		...fields,
	});

	it('sets a workspace limit in exact cents and answers it in USD too', async () => {
		let sent: unknown;
		nock(BASE)
			.post('/v1/organizations/spend_limits', (body) => {
				sent = body;
				return true;
			})
			.reply(200, limit({ amount: '123456789012' }));
		const [out] = await run({
			resource: 'spendLimit',
			operation: 'set',
			scope: 'workspace',
			workspaceId: 'wrkspc_01A',
			period: 'monthly',
			noLimit: false,
			amountUsd: '1234567890.12',
		});
		expect(sent).toEqual({
			amount: '123456789012',
			scope: { type: 'workspace', workspace_id: 'wrkspc_01A' },
			period: 'monthly',
		});
		expect(out).toMatchObject({
			id: 'spl_01A',
			amount: '123456789012',
			amount_usd: '1234567890.12',
		});
	});

	it('sets an explicit no-limit override, and refuses fractions of a cent before any request', async () => {
		let sent: unknown;
		nock(BASE)
			.post('/v1/organizations/spend_limits', (body) => {
				sent = body;
				return true;
			})
			.reply(200, limit({ amount: null, scope: { type: 'organization' } }));
		const [none] = await run({
			resource: 'spendLimit',
			operation: 'set',
			scope: 'organization',
			period: 'monthly',
			noLimit: true,
		});
		expect(sent).toEqual({ amount: null, scope: { type: 'organization' }, period: 'monthly' });
		expect(none.amount_usd).toBeNull();
		for (const amount of ['12.345', '-5', 'lots', '']) {
			const error = await runError({
				resource: 'spendLimit',
				operation: 'set',
				scope: 'organization',
				period: 'monthly',
				noLimit: false,
				amountUsd: amount,
			});
			expect(error.message).toBe(
				`"Amount (USD)" must be a non-negative amount in whole cents such as 500 or 12.34, got "${amount}" (item 0)`,
			);
		}
	});

	it("gets one scope's limit for a period, or says it has none: one item per input", async () => {
		nock(BASE, { reqheaders: { 'anthropic-beta': 'spend-limit-reads-2026-09-26' } })
			.get('/v1/organizations/spend_limits')
			.query({ 'scope_type[]': 'workspace', workspace_id: 'wrkspc_01A', limit: '1000' })
			.times(2)
			.reply(200, {
				data: [
					limit({ amount: '25025', period: 'monthly' }),
					limit({ id: 'spl_01D', amount: '100', period: 'daily' }),
				],
				has_more: false,
				next_page: null,
			});
		const [monthly] = await run({
			resource: 'spendLimit',
			operation: 'getForScope',
			scope: 'workspace',
			workspaceId: 'wrkspc_01A',
			period: 'monthly',
		});
		expect(monthly).toMatchObject({
			exists: true,
			id: 'spl_01A',
			amount: '25025',
			amount_usd: '250.25',
		});
		const [weekly] = await run({
			resource: 'spendLimit',
			operation: 'getForScope',
			scope: 'workspace',
			workspaceId: 'wrkspc_01A',
			period: 'weekly',
		});
		expect(weekly).toEqual({
			exists: false,
			type: 'spend_limit',
			id: null,
			amount: null,
			amount_usd: null,
			period: 'weekly',
			scope: { type: 'workspace', workspace_id: 'wrkspc_01A' },
		});
	});

	it('reads limits under the reads beta, filtered by scope type, paged to the end', async () => {
		nock(BASE, { reqheaders: { 'anthropic-beta': 'spend-limit-reads-2026-09-26' } })
			.get('/v1/organizations/spend_limits')
			.query({ 'scope_type[]': 'workspace', limit: '1000' })
			.reply(200, { data: [limit({ amount: '50000' })], has_more: true, next_page: 'page_2' })
			.get('/v1/organizations/spend_limits')
			.query({ 'scope_type[]': 'workspace', limit: '1000', page: 'page_2' })
			.reply(200, {
				data: [limit({ id: 'spl_01B', amount: '1' })],
				has_more: false,
				next_page: null,
			});
		const rows = await run({
			resource: 'spendLimit',
			operation: 'getAll',
			scopeTypes: ['workspace'],
			returnAll: true,
		});
		expect(rows.map((row) => [row.id, row.amount_usd])).toEqual([
			['spl_01A', '500'],
			['spl_01B', '0.01'],
		]);
	});
});

describe('Claude Admin: effective limits, increase requests and rate limits', () => {
	const actor = (user: string) => ({
		type: 'user_actor',
		user_id: user,
		name: 'Jane Smith',
		email_address: 'jane@example.com',
		deleted: false,
	});
	const summary = (user: string, fields: IDataObject = {}) => ({
		scope: { type: 'user', user_id: user },
		actor: actor(user),
		amount: '50000',
		currency: 'USD',
		period: 'monthly',
		source: { type: 'seat_tier', seat_tier: 'enterprise_standard' },
		spend_limit_id: 'spl_01XyZ',
		period_to_date_spend: '31402.5',
		...fields,
	});
	const request = (fields: IDataObject = {}) => ({
		type: 'spend_limit_increase_request',
		id: 'slir_01AbC',
		actor: actor('user_01AbC'),
		created_at: '2026-12-01T09:00:00Z',
		period: 'monthly',
		status: 'pending',
		resolved_at: null,
		resolved_by: null,
		spend_limit: null,
		spend_summary: summary('user_01AbC'),
		...fields,
	});

	it("reads each member's effective limit and spend to date in USD exactly, fractions of a cent kept, every page", async () => {
		nock(BASE, { reqheaders: { 'anthropic-beta': 'spend-limit-reads-2026-09-26' } })
			.get('/v1/organizations/spend_limits/effective')
			.query({ 'user_ids[]': ['user_01A', 'user_01B'], limit: '1000' })
			.reply(200, {
				data: [summary('user_01A', { period_to_date_spend: '41280.125' })],
				next_page: 'page_2',
			})
			.get('/v1/organizations/spend_limits/effective')
			.query({ 'user_ids[]': ['user_01A', 'user_01B'], limit: '1000', page: 'page_2' })
			.reply(200, {
				data: [summary('user_01B', { amount: null, source: { type: 'organization' } })],
				next_page: null,
			});
		const rows = await run({
			resource: 'spendLimit',
			operation: 'getEffective',
			userIds: 'user_01A, user_01B',
			returnAll: true,
		});
		expect(rows).toEqual([
			expect.objectContaining({
				scope: { type: 'user', user_id: 'user_01A' },
				amount_usd: '500',
				period_to_date_spend_usd: '412.80125',
			}),
			expect.objectContaining({ amount: null, amount_usd: null }),
		]);
		await expect(
			run({ resource: 'spendLimit', operation: 'getEffective', userIds: 'jane@example.com' }),
		).rejects.toThrow(
			'"User IDs" must be user_… IDs separated by commas, got "jane@example.com" (item 0)',
		);
	});

	it('lists pending increase requests with the live spend summary, and approves one in exact cents', async () => {
		let approved: unknown;
		nock(BASE, { reqheaders: { 'anthropic-beta': 'spend-limit-reads-2026-09-26' } })
			.get('/v1/organizations/spend_limit_increase_requests')
			.query({ 'status[]': 'pending', limit: '1000' })
			.reply(200, { data: [request()], next_page: null });
		nock(BASE)
			.post('/v1/organizations/spend_limit_increase_requests/slir_01AbC/approve', (body) => {
				approved = body;
				return true;
			})
			.reply(
				200,
				request({
					status: 'approved',
					resolved_at: '2026-12-06T10:00:00Z',
					resolved_by: { type: 'scoped_api_key_actor', scoped_api_key_id: 'apikey_01' },
					spend_summary: null,
					spend_limit: {
						type: 'spend_limit',
						id: 'spl_01New',
						amount: '75050',
						currency: 'USD',
						period: 'monthly',
						scope: { type: 'user', user_id: 'user_01AbC' },
						created_at: '2026-12-06T10:00:00Z',
						updated_at: '2026-12-06T10:00:00Z',
					},
				}),
			);
		const [pending] = await run({
			resource: 'spendLimitIncreaseRequest',
			operation: 'getAll',
			statuses: ['pending'],
			returnAll: true,
		});
		expect(pending).toMatchObject({
			id: 'slir_01AbC',
			spend_summary: { amount_usd: '500', period_to_date_spend_usd: '314.025' },
		});
		const [done] = await run({
			resource: 'spendLimitIncreaseRequest',
			operation: 'approve',
			requestId: 'slir_01AbC',
			amountUsd: '750.50',
			period: '',
			suppressNotification: true,
		});
		expect(approved).toEqual({ amount: '75050', suppress_notification: true });
		expect(done).toMatchObject({
			status: 'approved',
			spend_limit: { id: 'spl_01New', amount: '75050', amount_usd: '750.5' },
			spend_summary: null,
		});
	});

	it('denies a request, and refuses a malformed request ID or a fraction of a cent before any request', async () => {
		let denied: unknown;
		nock(BASE)
			.post('/v1/organizations/spend_limit_increase_requests/slir_01AbC/deny', (body) => {
				denied = body;
				return true;
			})
			.reply(200, request({ status: 'denied', spend_summary: null }));
		const [out] = await run({
			resource: 'spendLimitIncreaseRequest',
			operation: 'deny',
			requestId: 'slir_01AbC',
		});
		expect(denied).toEqual({});
		expect(out).toMatchObject({ status: 'denied' });
		await expect(
			run({ resource: 'spendLimitIncreaseRequest', operation: 'get', requestId: 'spl_01A' }),
		).rejects.toThrow(
			'"Request ID" must look like slir_01AbCdEfGhIjKlMnOpQrSt, got "spl_01A" (item 0)',
		);
		await expect(
			run({
				resource: 'spendLimitIncreaseRequest',
				operation: 'approve',
				requestId: 'slir_01AbC',
				amountUsd: '10.005',
			}),
		).rejects.toThrow(
			'"New Limit (USD)" must be a non-negative amount in whole cents such as 500 or 12.34, got "10.005" (item 0)',
		);
	});

	it("reads the organization's rate limits for one model, and a workspace's overrides beside the organization's values", async () => {
		const limits = [
			{ type: 'requests_per_minute', value: 4000 },
			{ type: 'input_tokens_per_minute', value: 10000000 },
		];
		nock(BASE)
			.get('/v1/organizations/rate_limits')
			.query({ model: 'claude-opus-4-8' })
			.reply(200, {
				data: [
					{
						type: 'rate_limit',
						group_type: 'model_group',
						models: ['claude-opus-4-8', 'claude-opus-4-7'],
						limits,
					},
				],
				next_page: null,
			})
			.get('/v1/organizations/workspaces/wrkspc_01A/rate_limits')
			.query({ group_type: 'model_group' })
			.reply(200, {
				data: [
					{
						type: 'workspace_rate_limit',
						group_type: 'model_group',
						models: ['claude-opus-4-8'],
						limits: [{ type: 'requests_per_minute', value: 1000, org_limit: 4000 }],
					},
				],
				next_page: null,
			});
		const [organization] = await run({
			resource: 'rateLimit',
			operation: 'getAll',
			level: 'organization',
			groupType: '',
			model: 'claude-opus-4-8',
		});
		expect(organization).toMatchObject({
			group_type: 'model_group',
			limits_by_type: { requests_per_minute: 4000, input_tokens_per_minute: 10000000 },
		});
		const [override] = await run({
			resource: 'rateLimit',
			operation: 'getAll',
			level: 'workspace',
			workspaceId: 'wrkspc_01A',
			groupType: 'model_group',
		});
		expect(override).toMatchObject({
			limits: [{ type: 'requests_per_minute', value: 1000, org_limit: 4000 }],
			limits_by_type: { requests_per_minute: 1000 },
		});
	});
});

describe('Claude Admin: keys, workspaces and reports', () => {
	it('pages API keys with after_id and filters by status and workspace', async () => {
		nock(BASE)
			.get('/v1/organizations/api_keys')
			.query({ status: 'inactive', workspace_id: 'wrkspc_01B', limit: '100' })
			.reply(200, {
				data: [apiKey({ id: 'apikey_a' })],
				has_more: true,
				first_id: 'apikey_a',
				last_id: 'apikey_a',
			})
			.get('/v1/organizations/api_keys')
			.query({ status: 'inactive', workspace_id: 'wrkspc_01B', limit: '100', after_id: 'apikey_a' })
			.reply(200, {
				data: [apiKey({ id: 'apikey_b' })],
				has_more: false,
				first_id: 'apikey_b',
				last_id: 'apikey_b',
			});
		const keys = await run({
			resource: 'apiKey',
			operation: 'getAll',
			returnAll: true,
			filters: { status: 'inactive', workspaceId: 'wrkspc_01B' },
		});
		expect(keys.map((key) => key.id)).toEqual(['apikey_a', 'apikey_b']);
	});

	it('updates a key status and archives a workspace; refuses a malformed workspace ID', async () => {
		nock(BASE)
			.post('/v1/organizations/api_keys/apikey_a', { status: 'inactive' })
			.reply(200, apiKey({ id: 'apikey_a', status: 'inactive' }))
			.post('/v1/organizations/workspaces/wrkspc_01B/archive')
			.reply(200, workspace({ id: 'wrkspc_01B', archived_at: '2026-11-25T00:00:00Z' }));
		expect(
			await run({
				resource: 'apiKey',
				operation: 'update',
				apiKeyId: 'apikey_a',
				updateFields: { status: 'inactive' },
			}),
		).toEqual([
			expect.objectContaining({ id: 'apikey_a', status: 'inactive', workspace_id: null }),
		]);
		expect(
			await run({ resource: 'workspace', operation: 'archive', workspaceId: 'wrkspc_01B' }),
		).toEqual([expect.objectContaining({ id: 'wrkspc_01B', archived_at: '2026-11-25T00:00:00Z' })]);
		const error = await runError({
			resource: 'workspace',
			operation: 'get',
			workspaceId: 'ws-123',
		});
		expect(error.message).toBe(
			'"Workspace ID" must look like wrkspc_01JwQvzr7rXLA5AGx3HKfFUJ, got "ws-123" (item 0)',
		);
	});

	it('adds a workspace member with a role', async () => {
		nock(BASE)
			.post('/v1/organizations/workspaces/wrkspc_01B/members', {
				user_id: 'user_01',
				workspace_role: 'workspace_developer',
			})
			.reply(200, {
				type: 'workspace_member',
				user_id: 'user_01',
				workspace_id: 'wrkspc_01B',
				workspace_role: 'workspace_developer',
			});
		const [member] = await run({
			resource: 'workspaceMember',
			operation: 'add',
			workspaceId: 'wrkspc_01B',
			userId: 'user_01',
			workspaceRole: 'workspace_developer',
		});
		expect(member.workspace_role).toBe('workspace_developer');
	});

	it('reads the usage report per bucket result with every kind of token apart', async () => {
		nock(BASE)
			.get('/v1/organizations/usage_report/messages')
			.query(
				(q) => q.bucket_width === '1h' && q.limit === '168' && q['group_by[]'] === 'api_key_id',
			)
			.reply(200, {
				data: [
					{
						starting_at: '2026-11-25T10:00:00Z',
						ending_at: '2026-11-25T11:00:00Z',
						results: [
							{
								uncached_input_tokens: 1500,
								cache_creation: { ephemeral_1h_input_tokens: 1000, ephemeral_5m_input_tokens: 500 },
								cache_read_input_tokens: 200,
								output_tokens: 500,
								server_tool_use: { web_search_requests: 10 },
								api_key_id: 'apikey_01Rj2N8SVvo6BePZj99NhmiT',
								workspace_id: null,
								model: null,
								service_tier: null,
								context_window: null,
							},
						],
					},
				],
				has_more: false,
				next_page: null,
			});
		const [row] = await run({
			resource: 'usageReport',
			operation: 'get',
			startingAt: '2026-11-25T10:00:00Z',
			bucketWidth: '1h',
			groupBy: ['api_key_id'],
			returnAll: true,
		});
		expect(row).toMatchObject({
			bucket_start: '2026-11-25T10:00:00Z',
			uncached_input_tokens: 1500,
			cache_creation_5m_input_tokens: 500,
			cache_creation_1h_input_tokens: 1000,
			cache_read_input_tokens: 200,
			output_tokens: 500,
			api_key_id: 'apikey_01Rj2N8SVvo6BePZj99NhmiT',
		});
	});

	it("shows Anthropic's error, and a 401 without the key", async () => {
		nock(BASE)
			.get('/v1/organizations/workspaces/wrkspc_01X')
			.reply(404, {
				type: 'error',
				error: { type: 'not_found_error', message: 'Workspace not found' },
			})
			.get('/v1/organizations/users')
			.query(true)
			.reply(401, {
				type: 'error',
				error: { type: 'authentication_error', message: `invalid x-api-key ${ADMIN_KEY}` },
			});
		const notFound = await runError({
			resource: 'workspace',
			operation: 'get',
			workspaceId: 'wrkspc_01X',
		});
		expect(notFound).toBeInstanceOf(NodeApiError);
		expect(notFound.message).toBe('Anthropic returned 404: not_found_error: Workspace not found');
		const unauthorized = await runError({ resource: 'user', operation: 'getAll', returnAll: true });
		expect(unauthorized.message).toContain('Anthropic rejected the admin key (401)');
		expect(JSON.stringify(unauthorized)).not.toContain(ADMIN_KEY);
	});
});

describe('Claude Admin: as the official API reference defines it', () => {
	it('reads Claude Code usage day by day: the endpoint takes one day and has no ending_at', async () => {
		const days: string[] = [];
		nock(BASE)
			.get('/v1/organizations/usage_report/claude_code')
			.query((q) => {
				days.push(String(q.starting_at));
				return !('ending_at' in q) && /^\d{4}-\d{2}-\d{2}$/.test(String(q.starting_at));
			})
			.times(3)
			.reply(200, (uri) => {
				const day = new URL(uri, BASE).searchParams.get('starting_at');
				return {
					data: [
						{
							date: `${day}T00:00:00Z`,
							actor: { type: 'user_actor', email_address: 'a@example.com' },
							model_breakdown: [
								{ model: 'claude-sonnet-4-5', estimated_cost: { amount: 150, currency: 'USD' } },
							],
						},
					],
					has_more: false,
					next_page: null,
				};
			});
		const records = await run({
			resource: 'claudeCode',
			operation: 'get',
			startingDate: '2026-10-30',
			endingDate: '2026-11-02',
			returnAll: true,
		});
		expect(days).toEqual(['2026-10-30', '2026-10-31', '2026-11-01']);
		expect(records.map((record) => [record.date, record.estimated_cost_usd])).toEqual([
			['2026-10-30T00:00:00Z', '1.5'],
			['2026-10-31T00:00:00Z', '1.5'],
			['2026-11-01T00:00:00Z', '1.5'],
		]);
		const error = await runError({
			resource: 'claudeCode',
			operation: 'get',
			startingDate: '2026-11-02',
			endingDate: '2026-11-02',
		});
		expect(error.message).toBe(
			'"Ending At" must be 1 to 366 days after "Starting At", got 2026-11-02 for 2026-11-02 (item 0)',
		);
	});

	it('widens a cost report period to whole UTC days and marks the day still open', async () => {
		const today = new Date().toISOString().slice(0, 10);
		const tomorrow = new Date(Date.parse(`${today}T00:00:00Z`) + 86_400_000).toISOString();
		nock(BASE)
			.get('/v1/organizations/cost_report')
			.query(
				(q) =>
					q.starting_at === `${today}T00:00:00.000Z` &&
					q.ending_at === tomorrow &&
					q.bucket_width === '1d',
			)
			.reply(200, {
				data: [costBucket(today, [{ amount: '12.5', workspace_id: 'wrkspc_01A' }])],
				has_more: false,
				next_page: null,
			});
		const rows = await run({
			resource: 'costReport',
			operation: 'get',
			startingAt: new Date(Date.now() - 60_000).toISOString(),
			groupBy: ['workspace_id'],
			returnAll: true,
		});
		expect(rows).toEqual([
			expect.objectContaining({ cost_date: today, amount: '0.125', bucket_open: true }),
		]);
	});

	it('offers a new member every role the API accepts but Workspace Billing', async () => {
		const property = (operation: string) =>
			new ClaudeAdmin().description.properties.find(
				(p) => p.name === 'workspaceRole' && p.displayOptions?.show?.operation?.includes(operation),
			);
		const values = (operation: string) =>
			(property(operation)?.options as Array<{ value: string }>)
				.map((option) => option.value)
				.sort();
		expect(values('add')).toEqual([
			'workspace_admin',
			'workspace_developer',
			'workspace_restricted_developer',
			'workspace_user',
		]);
		expect(values('updateRole')).toEqual([
			'workspace_admin',
			'workspace_billing',
			'workspace_developer',
			'workspace_restricted_developer',
			'workspace_user',
		]);
		const error = await runError({
			resource: 'workspaceMember',
			operation: 'add',
			workspaceId: 'wrkspc_01B',
			userId: 'user_01',
			workspaceRole: 'workspace_billing',
		});
		expect(error.message).toBe(
			'"Workspace Role" must be one of workspace_admin, workspace_developer, workspace_restricted_developer, workspace_user for a new member, got "workspace_billing" (item 0)',
		);
		nock(BASE)
			.post('/v1/organizations/workspaces/wrkspc_01B/members/user_01', {
				workspace_role: 'workspace_restricted_developer',
			})
			.reply(200, {
				type: 'workspace_member',
				user_id: 'user_01',
				workspace_id: 'wrkspc_01B',
				workspace_role: 'workspace_restricted_developer',
			});
		const [member] = await run({
			resource: 'workspaceMember',
			operation: 'updateRole',
			workspaceId: 'wrkspc_01B',
			userId: 'user_01',
			workspaceRole: 'workspace_restricted_developer',
		});
		expect(member.workspace_role).toBe('workspace_restricted_developer');
	});

	it("reads a key's workspace from scope.workspace_id, falling back to the deprecated field", async () => {
		nock(BASE)
			.get('/v1/organizations/api_keys')
			.query(true)
			.reply(200, {
				data: [
					apiKey({ id: 'k1', scope: { type: 'workspace', workspace_id: 'wrkspc_01A' } }),
					apiKey({ id: 'k2', workspace_id: 'wrkspc_01B' }),
					apiKey({ id: 'k3', scope: { type: 'organization' } }),
				],
				has_more: false,
			});
		const keys = await run({ resource: 'apiKey', operation: 'getAll', returnAll: true });
		expect(keys.map((key) => [key.id, key.workspace_id])).toEqual([
			['k1', 'wrkspc_01A'],
			['k2', 'wrkspc_01B'],
			['k3', null],
		]);
	});
});

describe('Claude Admin: resource locators', () => {
	const search = async (method: string, filter?: string, token?: string) => {
		const context = createExecuteContext({
			nodeType: new ClaudeAdmin(),
			credentialType: new AnthropicAdminApi(),
			credentials,
			parameters: {},
			onResponse: fixtures.record,
		}) as unknown as ILoadOptionsFunctions;
		const methods = new ClaudeAdmin().methods.listSearch as Record<
			string,
			(
				this: ILoadOptionsFunctions,
				filter?: string,
				token?: string,
			) => Promise<INodeListSearchResult>
		>;
		return await methods[method].call(context, filter, token);
	};

	it('lists workspaces and API keys to pick from, page by page after_id', async () => {
		nock(BASE)
			.get('/v1/organizations/workspaces')
			.query({ limit: 100 })
			.reply(200, {
				data: [
					workspace({ id: 'wrkspc_01A', name: 'Production' }),
					workspace({ id: 'wrkspc_01B', name: 'Staging' }),
				],
				has_more: true,
				first_id: 'wrkspc_01A',
				last_id: 'wrkspc_01B',
			})
			.get('/v1/organizations/api_keys')
			.query({ limit: 100, after_id: 'apikey_01A' })
			.reply(200, {
				data: [apiKey({ id: 'apikey_01B', name: 'ci' })],
				has_more: false,
				first_id: 'apikey_01B',
				last_id: 'apikey_01B',
			});
		expect(await search('searchWorkspaces', 'prod')).toEqual({
			results: [{ name: 'Production (wrkspc_01A)', value: 'wrkspc_01A' }],
			paginationToken: 'wrkspc_01B',
		});
		expect(await search('searchApiKeys', '', 'apikey_01A')).toEqual({
			results: [{ name: 'ci (apikey_01B)', value: 'apikey_01B' }],
			paginationToken: undefined,
		});
	});

	it('reads a picked workspace and still refuses a malformed one', async () => {
		nock(BASE)
			.get('/v1/organizations/workspaces/wrkspc_01A')
			.reply(200, workspace({ id: 'wrkspc_01A', name: 'Production' }));
		const picked = await run({
			resource: 'workspace',
			operation: 'get',
			workspaceId: { __rl: true, mode: 'list', value: 'wrkspc_01A' },
		});
		expect(picked[0]).toMatchObject({ id: 'wrkspc_01A' });
		await expect(
			run({
				resource: 'workspace',
				operation: 'get',
				workspaceId: { __rl: true, mode: 'id', value: 'nope' },
			}),
		).rejects.toThrow(
			'"Workspace ID" must look like wrkspc_01JwQvzr7rXLA5AGx3HKfFUJ, got "nope" (item 0)',
		);
	});
});

describe('the fixtures above', () => {
	it("serve only answers Anthropic's reference allows", async () => {
		const { judged, problems } = await fixtures.problems();
		expect(problems).toEqual([]);
		expect(judged).toBeGreaterThan(5);
	});
});
