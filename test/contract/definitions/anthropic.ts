/**
 * Anthropic's Admin API as its official reference describes it, for the operations the Claude
 * Admin node calls. Anthropic publishes no OpenAPI file; every operation cites the reference page
 * it was written from (platform.claude.com/docs/en/api/admin/...; bounds the newer pages leave
 * out come from the docs.anthropic.com Admin API pages they replaced).
 */
import {
	answer,
	body,
	definition,
	integer,
	list,
	nullableText,
	oneOfValues,
	operation,
	pathId,
	query,
	text,
	type Json,
} from './schema';

const REF = 'https://platform.claude.com/docs/en/api/admin';

const cursorList = [
	query('limit', integer(1, 1000)),
	query('before_id', text),
	query('after_id', text),
];
const listOf = (item: Json) =>
	answer(
		{
			data: list(item),
			has_more: { type: 'boolean' },
			first_id: nullableText,
			last_id: nullableText,
		},
		['data', 'has_more'],
	);
const reportOf = (result: Json) =>
	answer({
		data: list(answer({ starting_at: text, ending_at: text, results: list(result) })),
		has_more: { type: 'boolean' },
		next_page: nullableText,
	});

/**
 * The Usage and Cost Analytics API (beta `analytics-usage-cost-2026-08-24`): rows of a group and
 * its metrics, paged by `next_page`. The dimensions listed are those the node offers; the
 * reference has more (agents, sessions, tags, ...).
 */
const BETA_REF = 'https://platform.claude.com/docs/en/api/beta/organization/analytics';
const ANALYTICS_DIMENSIONS = [
	'actor',
	'actor_type',
	'api_key_id',
	'context_window',
	'inference_geo',
	'model',
	'product',
	'service_tier',
	'speed',
	'workspace_id',
];
const analyticsQuery = (dimensions: string[]) => [
	query('starting_at', { type: 'string', format: 'date-time' }, true),
	query('ending_at', { type: 'string', format: 'date-time' }),
	query('time_bucket_width', oneOfValues('1m', '1h', '1d')),
	query('group_by[]', list(oneOfValues(...dimensions))),
	query('api_key_ids[]', list(text)),
	query('workspace_ids[]', list(text)),
	query('models[]', list(text)),
	query('service_tiers[]', list(text)),
	query('limit', integer(1)),
	query('page', text),
];
const analyticsPage = (metrics: Record<string, Json>) =>
	answer(
		{
			data: list(
				answer(
					{
						starting_at: text,
						ending_at: text,
						group: { type: 'object', additionalProperties: true },
						...metrics,
					},
					['starting_at', 'ending_at', 'group'],
				),
			),
			has_more: { type: 'boolean' },
			next_page: nullableText,
			data_refreshed_at: nullableText,
		},
		['data', 'has_more'],
	);

/** Spend limits (set and delete; reads under the beta `spend-limit-reads-2026-09-26`). */
const SPEND_REF = 'https://platform.claude.com/docs/en/api/beta/organization/spend_limits';
const SPEND_SCOPES = [
	'organization',
	'organization_service',
	'rbac_group',
	'seat_tier',
	'usage_tier',
	'user',
	'workspace',
];
const SPEND_PERIODS = ['daily', 'weekly', 'monthly'];
const spendLimit = answer(
	{
		type: oneOfValues('spend_limit'),
		id: text,
		amount: { type: ['string', 'null'], pattern: '^\\d+$' },
		currency: text,
		period: oneOfValues(...SPEND_PERIODS),
		scope: answer({ type: oneOfValues(...SPEND_SCOPES) }),
		is_enabled: { type: 'boolean' },
		created_at: text,
		updated_at: text,
	},
	['type', 'id', 'amount', 'currency', 'period', 'scope'],
);

/** A member as the spend limit answers name them. */
const userActor = answer(
	{
		type: oneOfValues('user_actor'),
		user_id: text,
		name: nullableText,
		email_address: nullableText,
		deleted: { type: 'boolean' },
	},
	['type', 'user_id'],
);
const minorUnits = { type: ['string', 'null'], pattern: '^\\d+(\\.\\d+)?$' };
/** A member's effective limit (GET /spend_limits/effective), also inside a pending request. */
const spendSummary = answer(
	{
		scope: answer({ type: oneOfValues('user'), user_id: text }),
		actor: userActor,
		amount: minorUnits,
		currency: text,
		period: oneOfValues(...SPEND_PERIODS),
		source: answer({ type: oneOfValues(...SPEND_SCOPES) }),
		spend_limit_id: nullableText,
		period_to_date_spend: { type: 'string', pattern: '^\\d+(\\.\\d+)?$' },
	},
	['scope', 'actor', 'amount', 'currency', 'period', 'source', 'period_to_date_spend'],
);
const INCREASE_REF = `${REF}/spend_limits/increase_requests`;
const increaseRequest = answer(
	{
		type: oneOfValues('spend_limit_increase_request'),
		id: text,
		actor: userActor,
		created_at: text,
		period: oneOfValues(...SPEND_PERIODS),
		status: oneOfValues('pending', 'approved', 'denied'),
		resolved_at: nullableText,
		resolved_by: { type: ['object', 'null'] },
		spend_limit: { oneOf: [spendLimit, { type: 'null' }] },
		spend_summary: { oneOf: [spendSummary, { type: 'null' }] },
	},
	['type', 'id', 'actor', 'created_at', 'period', 'status'],
);
const cursorPage = (item: Json) =>
	answer({ data: list(item), has_more: { type: 'boolean' }, next_page: nullableText }, ['data']);

/** The Rate Limits API (read-only): one entry per rate limit group. */
const RATE_REF = 'https://platform.claude.com/docs/en/api/beta/organization';
const RATE_GROUPS = ['model_group', 'batch', 'token_count', 'files', 'skills', 'web_search'];
const rateLimitGroup = (type: string, limit: Json) =>
	answer(
		{
			type: oneOfValues(type),
			group_type: oneOfValues(...RATE_GROUPS),
			models: { oneOf: [list(text), { type: 'null' }] },
			limits: list(limit),
		},
		['type', 'group_type', 'limits'],
	);

const keyStatus = ['active', 'inactive', 'archived', 'expired'];
const apiKey = answer(
	{
		id: text,
		type: oneOfValues('api_key'),
		name: text,
		workspace_id: nullableText,
		created_at: text,
		created_by: answer({ id: text, type: text }),
		partial_key_hint: nullableText,
		status: oneOfValues(...keyStatus),
	},
	['id', 'type', 'name', 'created_at', 'status'],
);

const orgRoles = ['user', 'developer', 'billing', 'claude_code_user'];
const invite = answer({
	id: text,
	type: oneOfValues('invite'),
	email: text,
	role: oneOfValues(...orgRoles, 'admin'),
	status: oneOfValues('accepted', 'expired', 'deleted', 'pending'),
	invited_at: text,
	expires_at: text,
});
const user = answer({
	id: text,
	type: oneOfValues('user'),
	email: text,
	name: text,
	role: oneOfValues(...orgRoles, 'admin'),
	added_at: text,
});
const workspace = answer(
	{
		id: text,
		type: oneOfValues('workspace'),
		name: text,
		created_at: text,
		archived_at: nullableText,
	},
	['id', 'type', 'name', 'created_at', 'archived_at'],
);
const memberRoles = [
	'workspace_user',
	'workspace_developer',
	'workspace_restricted_developer',
	'workspace_admin',
];
const member = answer({
	type: oneOfValues('workspace_member'),
	user_id: text,
	workspace_id: text,
	workspace_role: oneOfValues(...memberRoles, 'workspace_billing'),
});
const contextWindows = ['0-200k', '200k-1M'];
const serviceTiers = [
	'standard',
	'batch',
	'priority',
	'priority_on_demand',
	'flex',
	'flex_discount',
];

export const anthropicDefinition = definition("Anthropic Admin API (from Anthropic's reference)", {
	'/organizations/api_keys': {
		get: operation('listApiKeys', `${REF}/api_keys/list`, {
			parameters: [
				...cursorList,
				query('status', oneOfValues(...keyStatus)),
				query('workspace_id', text),
				query('created_by_user_id', text),
			],
			answer: listOf(apiKey),
		}),
	},
	'/organizations/api_keys/{api_key_id}': {
		get: operation('getApiKey', `${REF}/api_keys/retrieve`, {
			parameters: [pathId('api_key_id')],
			answer: apiKey,
		}),
		post: operation('updateApiKey', `${REF}/api_keys/update`, {
			parameters: [pathId('api_key_id')],
			body: body({
				name: { type: 'string', minLength: 1, maxLength: 500 },
				status: oneOfValues('active', 'inactive', 'archived'),
			}),
			answer: apiKey,
		}),
	},
	'/organizations/usage_report/messages': {
		get: operation('getMessagesUsageReport', `${REF}/usage_report/retrieve_messages`, {
			parameters: [
				query('starting_at', { type: 'string', format: 'date-time' }, true),
				query('ending_at', { type: 'string', format: 'date-time' }),
				query('bucket_width', oneOfValues('1d', '1h', '1m')),
				// Up to 31 daily, 168 hourly or 1440 minute buckets a page, by bucket width.
				query('limit', integer(1, 1440)),
				query('page', text),
				query(
					'group_by[]',
					list(
						oneOfValues(
							'api_key_id',
							'workspace_id',
							'model',
							'service_tier',
							'context_window',
							'inference_geo',
							'account_id',
							'service_account_id',
							'speed',
						),
					),
				),
				query('api_key_ids[]', list(text)),
				query('workspace_ids[]', list(text)),
				query('models[]', list(text)),
				query('account_ids[]', list(text)),
				query('service_account_ids[]', list(text)),
				query('service_tiers[]', list(oneOfValues(...serviceTiers))),
				query('context_window[]', list(oneOfValues(...contextWindows))),
				query('inference_geos[]', list(oneOfValues('global', 'us', 'not_available'))),
			],
			answer: reportOf(
				answer(
					{
						uncached_input_tokens: integer(0),
						cache_read_input_tokens: integer(0),
						output_tokens: integer(0),
						cache_creation: answer({
							ephemeral_1h_input_tokens: integer(0),
							ephemeral_5m_input_tokens: integer(0),
						}),
					},
					['uncached_input_tokens', 'cache_read_input_tokens', 'output_tokens', 'cache_creation'],
				),
			),
		}),
	},
	'/organizations/analytics/cost': {
		get: operation('getAnalyticsCost', `${BETA_REF}/cost/list`, {
			parameters: analyticsQuery([...ANALYTICS_DIMENSIONS, 'cost_type', 'token_type']),
			answer: analyticsPage({
				cost: answer(
					{
						amount: { type: 'string', pattern: '^-?\\d+(\\.\\d+)?$' },
						list_amount: { type: 'string', pattern: '^-?\\d+(\\.\\d+)?$' },
						currency: oneOfValues('USD'),
						requests: { type: ['integer', 'null'] },
					},
					['amount', 'currency'],
				),
			}),
		}),
	},
	'/organizations/analytics/usage': {
		get: operation('getAnalyticsUsage', `${BETA_REF}/usage/list`, {
			parameters: analyticsQuery(ANALYTICS_DIMENSIONS),
			answer: analyticsPage({
				usage: answer({
					uncached_input_tokens: integer(0),
					cache_creation: answer({
						ephemeral_5m_input_tokens: integer(0),
						ephemeral_1h_input_tokens: integer(0),
					}),
					cache_read_input_tokens: integer(0),
					output_tokens: integer(0),
					total_tokens: integer(0),
					requests: integer(0),
					server_tool_use: answer({ web_search_requests: integer(0) }),
				}),
			}),
		}),
	},
	'/organizations/cost_report': {
		get: operation('getCostReport', `${REF}/cost_report/retrieve`, {
			parameters: [
				query('starting_at', { type: 'string', format: 'date-time' }, true),
				query('ending_at', { type: 'string', format: 'date-time' }),
				query('bucket_width', oneOfValues('1d')),
				query('limit', integer(1, 31)),
				query('page', text),
				query('group_by[]', list(oneOfValues('workspace_id', 'description'))),
			],
			answer: reportOf(
				answer(
					{
						amount: { type: 'string', pattern: '^-?\\d+(\\.\\d+)?$' },
						currency: oneOfValues('USD'),
						workspace_id: nullableText,
						description: nullableText,
					},
					['amount', 'currency'],
				),
			),
		}),
	},
	'/organizations/usage_report/claude_code': {
		get: operation('getClaudeCodeUsageReport', `${REF}/usage_report/retrieve_claude_code`, {
			parameters: [
				query('starting_at', { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$' }, true),
				query('limit', integer(1, 1000)),
				query('page', text),
			],
			answer: answer({
				data: list(
					answer(
						{
							date: text,
							actor: answer({ type: oneOfValues('user_actor', 'api_actor') }),
							model_breakdown: list(
								answer({
									model: text,
									estimated_cost: answer({ amount: { type: 'number' }, currency: text }),
								}),
							),
						},
						['date', 'actor', 'model_breakdown'],
					),
				),
				has_more: { type: 'boolean' },
				next_page: nullableText,
			}),
		}),
	},
	'/organizations/invites': {
		get: operation('listInvites', `${REF}/invites/list`, {
			parameters: cursorList,
			answer: listOf(invite),
		}),
		post: operation('createInvite', `${REF}/invites/create`, {
			body: body({ email: text, role: oneOfValues(...orgRoles) }, ['email', 'role']),
			answer: invite,
		}),
	},
	'/organizations/invites/{invite_id}': {
		get: operation('getInvite', `${REF}/invites/retrieve`, {
			parameters: [pathId('invite_id')],
			answer: invite,
		}),
		delete: operation('deleteInvite', `${REF}/invites/delete`, {
			parameters: [pathId('invite_id')],
			answer: answer({ id: text, type: oneOfValues('invite_deleted') }),
		}),
	},
	'/organizations/users': {
		get: operation('listUsers', `${REF}/users/list`, {
			parameters: [...cursorList, query('email', text)],
			answer: listOf(user),
		}),
	},
	'/organizations/users/{user_id}': {
		get: operation('getUser', `${REF}/users/retrieve`, {
			parameters: [pathId('user_id')],
			answer: user,
		}),
		post: operation('updateUser', `${REF}/users/update`, {
			parameters: [pathId('user_id')],
			body: body({ role: oneOfValues(...orgRoles) }, ['role']),
			answer: user,
		}),
		delete: operation('removeUser', `${REF}/users/delete`, {
			parameters: [pathId('user_id')],
			answer: answer({ id: text, type: oneOfValues('user_deleted') }),
		}),
	},
	'/organizations/workspaces': {
		get: operation('listWorkspaces', `${REF}/workspaces/list`, {
			parameters: [...cursorList, query('include_archived', { type: 'boolean' })],
			answer: listOf(workspace),
		}),
		post: operation('createWorkspace', `${REF}/workspaces/create`, {
			body: body({ name: text, data_residency: { type: 'object' }, tags: { type: 'object' } }, [
				'name',
			]),
			answer: workspace,
		}),
	},
	'/organizations/spend_limits': {
		get: operation('listSpendLimits', `${SPEND_REF}/list`, {
			parameters: [
				query('limit', integer(1, 1000)),
				query('page', text),
				query('scope_type[]', list(oneOfValues(...SPEND_SCOPES))),
				query('workspace_id', { type: 'string', pattern: '^wrkspc_' }),
			],
			answer: answer(
				{ data: list(spendLimit), has_more: { type: 'boolean' }, next_page: nullableText },
				['data', 'has_more'],
			),
		}),
		post: operation('setSpendLimit', `${SPEND_REF}/set`, {
			body: body(
				{
					amount: { type: ['string', 'null'], pattern: '^\\d+$' },
					scope: {
						oneOf: [
							body({ type: oneOfValues('organization') }, ['type']),
							body({ type: oneOfValues('workspace'), workspace_id: text }, [
								'type',
								'workspace_id',
							]),
							body({ type: oneOfValues('user'), user_id: text }, ['type', 'user_id']),
						],
					},
					period: oneOfValues(...SPEND_PERIODS),
				},
				['amount', 'scope'],
			),
			answer: spendLimit,
		}),
	},
	'/organizations/spend_limits/{spend_limit_id}': {
		get: operation('getSpendLimit', `${SPEND_REF}/retrieve`, {
			parameters: [pathId('spend_limit_id')],
			answer: spendLimit,
		}),
		delete: operation('deleteSpendLimit', `${SPEND_REF}/delete`, {
			parameters: [pathId('spend_limit_id')],
			answer: answer({ id: text, type: text }, ['id']),
		}),
	},
	'/organizations/spend_limits/effective': {
		get: operation('listEffectiveSpendLimits', `${REF}/spend_limits/list_effective`, {
			parameters: [
				query('limit', integer(1, 1000)),
				query('page', text),
				query('user_ids[]', list({ type: 'string', pattern: '^user_' })),
				query('period[]', list(oneOfValues(...SPEND_PERIODS))),
			],
			answer: cursorPage(spendSummary),
		}),
	},
	'/organizations/spend_limit_increase_requests': {
		get: operation('listSpendLimitIncreaseRequests', `${INCREASE_REF}/list`, {
			parameters: [
				query('limit', integer(1, 1000)),
				query('page', text),
				query('status[]', list(oneOfValues('pending', 'approved', 'denied'))),
				query('actor_ids[]', list({ type: 'string', pattern: '^user_' })),
			],
			answer: cursorPage(increaseRequest),
		}),
	},
	'/organizations/spend_limit_increase_requests/{spend_limit_increase_request_id}': {
		get: operation('getSpendLimitIncreaseRequest', `${INCREASE_REF}/retrieve`, {
			parameters: [pathId('spend_limit_increase_request_id')],
			answer: increaseRequest,
		}),
	},
	'/organizations/spend_limit_increase_requests/{spend_limit_increase_request_id}/approve': {
		post: operation('approveSpendLimitIncreaseRequest', `${INCREASE_REF}/approve`, {
			parameters: [pathId('spend_limit_increase_request_id')],
			body: body(
				{
					amount: { type: 'string', pattern: '^\\d+$' },
					period: oneOfValues(...SPEND_PERIODS),
					suppress_notification: { type: 'boolean' },
				},
				['amount'],
			),
			answer: increaseRequest,
		}),
	},
	'/organizations/spend_limit_increase_requests/{spend_limit_increase_request_id}/deny': {
		post: operation('denySpendLimitIncreaseRequest', `${INCREASE_REF}/deny`, {
			parameters: [pathId('spend_limit_increase_request_id')],
			body: body({ suppress_notification: { type: 'boolean' } }),
			answer: increaseRequest,
		}),
	},
	'/organizations/rate_limits': {
		get: operation('listRateLimits', `${RATE_REF}/rate_limits/list`, {
			parameters: [
				query('group_type', oneOfValues(...RATE_GROUPS)),
				query('model', text),
				query('page', text),
			],
			answer: cursorPage(
				rateLimitGroup('rate_limit', answer({ type: text, value: { type: 'integer' } })),
			),
		}),
	},
	'/organizations/workspaces/{workspace_id}/rate_limits': {
		get: operation('listWorkspaceRateLimits', `${RATE_REF}/workspaces/rate_limits/list`, {
			parameters: [
				pathId('workspace_id'),
				query('group_type', oneOfValues(...RATE_GROUPS)),
				query('page', text),
			],
			answer: cursorPage(
				rateLimitGroup(
					'workspace_rate_limit',
					answer({
						type: text,
						value: { type: 'integer' },
						org_limit: { type: ['integer', 'null'] },
					}),
				),
			),
		}),
	},
	'/organizations/workspaces/{workspace_id}': {
		get: operation('getWorkspace', `${REF}/workspaces/retrieve`, {
			parameters: [pathId('workspace_id')],
			answer: workspace,
		}),
		post: operation('updateWorkspace', `${REF}/workspaces/update`, {
			parameters: [pathId('workspace_id')],
			body: body({ name: text, data_residency: { type: 'object' }, tags: { type: 'object' } }),
			answer: workspace,
		}),
	},
	'/organizations/workspaces/{workspace_id}/archive': {
		post: operation('archiveWorkspace', `${REF}/workspaces/archive`, {
			parameters: [pathId('workspace_id')],
			answer: workspace,
		}),
	},
	'/organizations/workspaces/{workspace_id}/members': {
		get: operation('listWorkspaceMembers', `${REF}/workspaces/members/list`, {
			parameters: [pathId('workspace_id'), ...cursorList],
			answer: listOf(member),
		}),
		post: operation('addWorkspaceMember', `${REF}/workspaces/members/create`, {
			parameters: [pathId('workspace_id')],
			// "Cannot be workspace_billing" for a new member.
			body: body({ user_id: text, workspace_role: oneOfValues(...memberRoles) }, [
				'user_id',
				'workspace_role',
			]),
			answer: member,
		}),
	},
	'/organizations/workspaces/{workspace_id}/members/{user_id}': {
		get: operation('getWorkspaceMember', `${REF}/workspaces/members/retrieve`, {
			parameters: [pathId('workspace_id'), pathId('user_id')],
			answer: member,
		}),
		post: operation('updateWorkspaceMember', `${REF}/workspaces/members/update`, {
			parameters: [pathId('workspace_id'), pathId('user_id')],
			body: body({ workspace_role: oneOfValues(...memberRoles, 'workspace_billing') }, [
				'workspace_role',
			]),
			answer: member,
		}),
		delete: operation('removeWorkspaceMember', `${REF}/workspaces/members/delete`, {
			parameters: [pathId('workspace_id'), pathId('user_id')],
			answer: answer({
				type: oneOfValues('workspace_member_deleted'),
				user_id: text,
				workspace_id: text,
			}),
		}),
	},
});
