import { json, StandIn } from './server';

export const ANTHROPIC_ADMIN_KEY = 'sk-ant-admin01-e2eSecretAdminKey0123456789ABCDEF';

export interface AnthropicCostFixture {
	dayOffset: number;
	workspace_id: string | null;
	description: string;
	/** Cents, as Anthropic writes them: a decimal string. */
	amount: string;
}

export const ANTHROPIC_COSTS: AnthropicCostFixture[] = [
	{
		dayOffset: 0,
		workspace_id: 'wrkspc_01Research',
		description: 'Claude Sonnet 4.5 Usage - Input Tokens',
		amount: '123.45',
	},
	{ dayOffset: 0, workspace_id: null, description: 'Web Search Usage', amount: '0.5' },
	{
		dayOffset: 1,
		workspace_id: 'wrkspc_01Research',
		description: 'Claude Sonnet 4.5 Usage - Output Tokens',
		amount: '100000000.01',
	},
	{
		dayOffset: 2,
		workspace_id: 'wrkspc_01Support',
		description: 'Claude Haiku 4.5 Usage - Input Tokens',
		amount: '0.000001',
	},
];

export const ANTHROPIC_USAGE = [
	{
		dayOffset: 0,
		api_key_id: 'apikey_01Alpha',
		uncached_input_tokens: 1500,
		cache_5m: 500,
		cache_1h: 1000,
		cache_read: 200,
		output: 700,
		model: 'claude-sonnet-4-20250514',
	},
	{
		dayOffset: 1,
		api_key_id: 'apikey_01Alpha',
		uncached_input_tokens: 10,
		cache_5m: 0,
		cache_1h: 0,
		cache_read: 0,
		output: 20,
		model: 'claude-sonnet-4-20250514',
	},
	{
		dayOffset: 1,
		api_key_id: 'apikey_01Beta',
		uncached_input_tokens: 300,
		cache_5m: 0,
		cache_1h: 0,
		cache_read: 4000,
		output: 90,
		model: 'claude-3-5-haiku-20241022',
	},
];

/**
 * What Anthropic billed each key per day (Analytics API), in fractional cents as it writes them:
 * its own figures, after discounts, not a price list applied to token counts.
 */
export const ANTHROPIC_BILLED = [
	{ dayOffset: 0, api_key_id: 'apikey_01Alpha', amount: '2.2935', list_amount: '2.55' },
	{ dayOffset: 1, api_key_id: 'apikey_01Alpha', amount: '0.033', list_amount: '0.033' },
	{ dayOffset: 1, api_key_id: 'apikey_01Beta', amount: '0.092', list_amount: '0.092' },
];

/** The model every billed row above is for, when the cost is grouped by model. */
export const ANTHROPIC_BILLED_MODEL = 'claude-sonnet-4-5';

const ANALYTICS_BETA = 'analytics-usage-cost-2026-08-24';

const DAY = 86_400_000;
const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');

function dayStart(startingAt: string | null): number {
	return Math.floor(Date.parse(startingAt ?? '') / DAY) * DAY;
}

function costBucket(start: number, offset: number) {
	return {
		starting_at: iso(start + offset * DAY),
		ending_at: iso(start + (offset + 1) * DAY),
		results: ANTHROPIC_COSTS.filter((c) => c.dayOffset === offset).map((c) => ({
			currency: 'USD',
			amount: c.amount,
			workspace_id: c.workspace_id,
			description: c.description,
			cost_type: c.description.startsWith('Web') ? 'web_search' : 'tokens',
			context_window: '0-200k',
			model: c.description.startsWith('Web') ? null : 'claude-sonnet-4-5',
			service_tier: 'standard',
			token_type: null,
			inference_geo: null,
		})),
	};
}

/** A usage bucket; as Anthropic does, `model` is set only when the report is grouped by model. */
function usageBucket(start: number, offset: number, byModel: boolean) {
	return {
		starting_at: iso(start + offset * DAY),
		ending_at: iso(start + (offset + 1) * DAY),
		results: ANTHROPIC_USAGE.filter((u) => u.dayOffset === offset).map((u) => ({
			uncached_input_tokens: u.uncached_input_tokens,
			cache_creation: {
				ephemeral_5m_input_tokens: u.cache_5m,
				ephemeral_1h_input_tokens: u.cache_1h,
			},
			cache_read_input_tokens: u.cache_read,
			output_tokens: u.output,
			server_tool_use: { web_search_requests: 0 },
			api_key_id: u.api_key_id,
			workspace_id: null,
			model: byModel ? u.model : null,
			service_tier: null,
			context_window: null,
			inference_geo: null,
		})),
	};
}

/** Impersonates Anthropic's Admin API cost and usage reports and its Analytics cost, paged with next_page. */
export function anthropicStandIn(): StandIn {
	return new StandIn((req, res) => {
		if (
			req.headers['x-api-key'] !== ANTHROPIC_ADMIN_KEY ||
			req.headers['anthropic-version'] !== '2023-06-01'
		) {
			json(res, 401, {
				type: 'error',
				error: { type: 'authentication_error', message: 'invalid x-api-key' },
			});
			return;
		}
		if (req.method === 'GET' && req.path === '/v1/organizations/workspaces') {
			// What the credential's test reads: one workspace, as Anthropic lists them.
			json(res, 200, {
				data: [
					{
						type: 'workspace',
						id: 'wrkspc_01E2e',
						name: 'Default',
						created_at: '2026-01-01T00:00:00Z',
						archived_at: null,
						display_color: '#6C5BB9',
					},
				],
				has_more: false,
				first_id: 'wrkspc_01E2e',
				last_id: 'wrkspc_01E2e',
			});
			return;
		}
		const start = dayStart(req.query.get('starting_at'));
		if (req.path === '/v1/organizations/cost_report') {
			// Daily buckets: a range that is empty or not on UTC midnights is refused, as Anthropic does.
			const startingAt = Date.parse(req.query.get('starting_at') ?? '');
			const endingAt = req.query.get('ending_at');
			const midnight = (ms: number) => ms % 86_400_000 === 0;
			if (
				Number.isNaN(startingAt) ||
				(endingAt !== null &&
					(!midnight(Date.parse(endingAt)) ||
						!midnight(startingAt) ||
						Date.parse(endingAt) <= startingAt))
			) {
				json(res, 400, {
					type: 'error',
					error: { type: 'invalid_request_error', message: 'Invalid date range' },
				});
				return;
			}
			if (req.query.get('page') === 'page_2') {
				json(res, 200, { data: [costBucket(start, 2)], has_more: false, next_page: null });
			} else {
				json(res, 200, {
					data: [costBucket(start, 0), costBucket(start, 1)],
					has_more: true,
					next_page: 'page_2',
				});
			}
			return;
		}
		if (req.path === '/v1/organizations/analytics/cost') {
			if (
				!String(req.headers['anthropic-beta'] ?? '')
					.split(',')
					.includes(ANALYTICS_BETA)
			) {
				json(res, 400, {
					type: 'error',
					error: {
						type: 'invalid_request_error',
						message: `This endpoint requires the anthropic-beta header ${ANALYTICS_BETA}`,
					},
				});
				return;
			}
			const end = Date.parse(req.query.get('ending_at') ?? '') || Date.now();
			const groups = req.query.getAll('group_by[]');
			const rows = ANTHROPIC_BILLED.filter((b) => start + b.dayOffset * DAY < end).map((b) => ({
				starting_at: iso(start + b.dayOffset * DAY),
				ending_at: iso(start + (b.dayOffset + 1) * DAY),
				group: {
					api_key_id: groups.includes('api_key_id') ? b.api_key_id : null,
					workspace_id: null,
					model: groups.includes('model') ? ANTHROPIC_BILLED_MODEL : null,
					cost_type: null,
					token_type: null,
				},
				cost: { amount: b.amount, list_amount: b.list_amount, currency: 'USD', requests: 1 },
			}));
			// Two pages: the first day, then the rest.
			const second = req.query.get('page') === 'page_2';
			json(res, 200, {
				data: second ? rows.slice(1) : rows.slice(0, 1),
				has_more: !second && rows.length > 1,
				next_page: !second && rows.length > 1 ? 'page_2' : null,
				data_refreshed_at: iso(Date.now()),
			});
			return;
		}
		if (req.path === '/v1/organizations/usage_report/messages') {
			json(res, 200, {
				data: [0, 1, 2].map((offset) =>
					usageBucket(start, offset, req.query.getAll('group_by[]').includes('model')),
				),
				has_more: false,
				next_page: null,
			});
			return;
		}
		json(res, 404, {
			type: 'error',
			error: { type: 'not_found_error', message: `Unknown path ${req.path}` },
		});
	});
}
