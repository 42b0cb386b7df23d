/**
 * Every operation the Claude Admin node offers, with every parameter set its description allows,
 * sends requests that Anthropic's Admin API reference accepts, written as data with a citation
 * per operation in `definitions/anthropic.ts`.
 */
import { AnthropicAdminApi } from '../../packages/provider/credentials/AnthropicAdminApi.credentials';
import { ClaudeAdmin } from '../../packages/provider/nodes/ClaudeAdmin/ClaudeAdmin.node';
import { anthropicDefinition } from './definitions/anthropic';
import { OpenApiContract } from './harness/openapi';
import { contractSuite } from './harness/suite';
import type { Samples } from './harness/variants';

const BASE = 'https://api.anthropic.test';

const samples: Samples = {
	startingAt: '2026-11-01T00:00:00Z',
	endingAt: '2026-11-03T00:00:00Z',
	startingDate: '2026-11-01',
	endingDate: '2026-11-02',
	asOf: '2026-11-25T12:00:00Z',
	email: 'ada@example.com',
	workspaceId: 'wrkspc_01JwQvzr7rXLA5AGx3HKfFUJ',
	createdByUserId: 'user_01WCz1FkmYMm4gnmykNKUu3Q',
	keyIds: 'apikey_01Rj2N8SVvo6BePZj99NhmiT',
	workspaceIds: 'wrkspc_01JwQvzr7rXLA5AGx3HKfFUJ',
	models: 'claude-sonnet-4-5',
	spendLimitId: 'spl_01JwQvzr7rXLA5AGx3HKfFUJ',
	userId: 'user_01WCz1FkmYMm4gnmykNKUu3Q',
	amountUsd: '500.25',
	workspaceFilter: 'wrkspc_01JwQvzr7rXLA5AGx3HKfFUJ',
	requestId: 'slir_01AbCdEfGhIjKlMnOpQrSt',
	userIds: 'user_01WCz1FkmYMm4gnmykNKUu3Q',
	actorIds: 'user_01WCz1FkmYMm4gnmykNKUu3Q',
	model: 'claude-opus-4-8',
};

const spendLimit = {
	type: 'spend_limit',
	id: 'spl_01JwQvzr7rXLA5AGx3HKfFUJ',
	amount: '50025',
	currency: 'USD',
	period: 'monthly',
	scope: { type: 'workspace', workspace_id: 'wrkspc_01JwQvzr7rXLA5AGx3HKfFUJ' },
	is_enabled: true,
	created_at: '2026-11-01T00:00:00Z',
	updated_at: '2026-11-01T00:00:00Z',
};

/** Report answers with real values: the generated examples would put "string" in amounts. */
const bucket = (results: unknown[]) => ({
	starting_at: '2026-11-01T00:00:00Z',
	ending_at: '2026-11-02T00:00:00Z',
	results,
});
const actor = {
	type: 'user_actor',
	user_id: 'user_01WCz1FkmYMm4gnmykNKUu3Q',
	name: 'Ada',
	email_address: 'ada@example.com',
	deleted: false,
};
const spendSummary = {
	scope: { type: 'user', user_id: 'user_01WCz1FkmYMm4gnmykNKUu3Q' },
	actor,
	amount: '50000',
	currency: 'USD',
	period: 'monthly',
	source: { type: 'seat_tier', seat_tier: 'enterprise_standard' },
	spend_limit_id: 'spl_01JwQvzr7rXLA5AGx3HKfFUJ',
	period_to_date_spend: '31402.5',
};
const increaseRequest = {
	type: 'spend_limit_increase_request',
	id: 'slir_01AbCdEfGhIjKlMnOpQrSt',
	actor,
	created_at: '2026-12-01T09:00:00Z',
	period: 'monthly',
	status: 'pending',
	resolved_at: null,
	resolved_by: null,
	spend_limit: null,
	spend_summary: spendSummary,
};
const rateLimits = (type: string, limit: Record<string, unknown>) => ({
	data: [
		{
			type,
			group_type: 'model_group',
			models: ['claude-opus-4-8'],
			limits: [{ type: 'requests_per_minute', value: 4000, ...limit }],
		},
	],
	next_page: null,
});
const fixtures = {
	listEffectiveSpendLimits: { data: [spendSummary], next_page: null },
	listSpendLimitIncreaseRequests: { data: [increaseRequest], next_page: null },
	getSpendLimitIncreaseRequest: increaseRequest,
	approveSpendLimitIncreaseRequest: { ...increaseRequest, status: 'approved', spend_summary: null },
	denySpendLimitIncreaseRequest: { ...increaseRequest, status: 'denied', spend_summary: null },
	listRateLimits: rateLimits('rate_limit', {}),
	listWorkspaceRateLimits: rateLimits('workspace_rate_limit', { org_limit: 4000 }),
	listSpendLimits: { data: [spendLimit], has_more: false, next_page: null },
	setSpendLimit: spendLimit,
	getSpendLimit: spendLimit,
	deleteSpendLimit: { id: 'spl_01JwQvzr7rXLA5AGx3HKfFUJ', type: 'spend_limit_deleted' },
	getCostReport: {
		data: [
			bucket([
				{
					amount: '123.45',
					currency: 'USD',
					workspace_id: 'wrkspc_01JwQvzr7rXLA5AGx3HKfFUJ',
					description: 'Claude Sonnet 4.5 Usage - Input Tokens',
				},
			]),
		],
		has_more: false,
		next_page: null,
	},
	getMessagesUsageReport: {
		data: [
			bucket([
				{
					uncached_input_tokens: 1500,
					cache_read_input_tokens: 200,
					output_tokens: 300,
					cache_creation: { ephemeral_1h_input_tokens: 0, ephemeral_5m_input_tokens: 500 },
					api_key_id: 'apikey_01Rj2N8SVvo6BePZj99NhmiT',
				},
			]),
		],
		has_more: false,
		next_page: null,
	},
	getAnalyticsCost: {
		data: [
			{
				starting_at: '2026-11-01T00:00:00Z',
				ending_at: '2026-11-02T00:00:00Z',
				group: { api_key_id: 'apikey_01Rj2N8SVvo6BePZj99NhmiT', workspace_id: null },
				cost: { amount: '1234.5678', list_amount: '1500', currency: 'USD', requests: 310 },
			},
		],
		has_more: false,
		next_page: null,
		data_refreshed_at: '2026-11-02T01:00:00Z',
	},
	getAnalyticsUsage: {
		data: [
			{
				starting_at: '2026-11-01T00:00:00Z',
				ending_at: '2026-11-02T00:00:00Z',
				group: { api_key_id: 'apikey_01Rj2N8SVvo6BePZj99NhmiT' },
				usage: {
					uncached_input_tokens: 1500,
					cache_creation: { ephemeral_5m_input_tokens: 500, ephemeral_1h_input_tokens: 0 },
					cache_read_input_tokens: 200,
					output_tokens: 300,
					total_tokens: 2500,
					requests: 4,
					server_tool_use: { web_search_requests: 1 },
				},
			},
		],
		has_more: false,
		next_page: null,
		data_refreshed_at: '2026-11-02T01:00:00Z',
	},
	getClaudeCodeUsageReport: {
		data: [
			{
				date: '2026-11-01T00:00:00Z',
				actor: { type: 'user_actor', email_address: 'ada@example.com' },
				organization_id: 'org_1',
				customer_type: 'api',
				terminal_type: 'vscode',
				core_metrics: {
					num_sessions: 2,
					lines_of_code: { added: 10, removed: 2 },
					commits_by_claude_code: 1,
					pull_requests_by_claude_code: 0,
				},
				tool_actions: { edit_tool: { accepted: 3, rejected: 1 } },
				model_breakdown: [
					{
						model: 'claude-sonnet-4-5',
						tokens: { input: 100, output: 50, cache_read: 0, cache_creation: 0 },
						estimated_cost: { amount: 12.5, currency: 'USD' },
					},
				],
			},
		],
		has_more: false,
		next_page: null,
	},
};

let contract: OpenApiContract;

beforeAll(async () => {
	contract = await OpenApiContract.fromDocument(anthropicDefinition);
});

contractSuite({
	title: 'Claude Admin',
	node: new ClaudeAdmin(),
	credentialType: new AnthropicAdminApi(),
	credentials: { apiKey: 'sk-ant-admin01-contract', anthropicVersion: '2023-06-01', baseUrl: BASE },
	baseUrl: `${BASE}/v1`,
	judge: () => contract,
	samples,
	fixtures,
});

describe('the written Anthropic definition', () => {
	it('cites an official page for every operation', () => {
		const paths = anthropicDefinition.paths as Record<
			string,
			Record<string, { 'x-source'?: string }>
		>;
		const sources = Object.values(paths).flatMap((item) =>
			Object.values(item).map((op) => op['x-source']),
		);
		expect(sources.length).toBeGreaterThan(20);
		for (const source of sources)
			expect(source).toMatch(
				/^https:\/\/platform\.claude\.com\/docs\/en\/api\/(admin|beta\/organization)\//,
			);
	});

	it('refuses what the reference refuses', () => {
		const errorsOf = (method: string, url: string, body?: unknown) =>
			contract.check({ method, url, body }).errors;
		expect(
			errorsOf(
				'GET',
				'/organizations/cost_report?starting_at=2026-11-01T00:00:00Z&limit=32',
			).join(),
		).toMatch(/<= 31/);
		expect(
			errorsOf(
				'GET',
				'/organizations/usage_report/claude_code?starting_at=2026-11-01&ending_at=2026-11-02',
			),
		).toEqual(['query parameter "ending_at" is not defined']);
		expect(
			errorsOf('POST', '/organizations/workspaces/w/members', {
				user_id: 'u',
				workspace_role: 'workspace_billing',
			}).join(),
		).toMatch(/allowed values/);
		expect(errorsOf('POST', '/organizations/api_keys/k', { workspace_id: 'w' })).toContain(
			'body.workspace_id is not a field of the request schema',
		);
	});
});
