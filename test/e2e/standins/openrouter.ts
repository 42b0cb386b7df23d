import { json, StandIn } from './server';

export const OPENROUTER_MANAGEMENT_KEY = 'sk-or-v1-e2eManagementKey0123456789abcdefABCDEF';

/** The default workspace and a second one; `/keys` lists one workspace at a time, as OpenRouter does. */
export const OPENROUTER_WORKSPACES = [
	{ id: '0df9e665-d932-4de0-b2de-2d2e7a4c2a6e', name: 'Default', slug: 'default' },
	{ id: '5a1c3e0b-7c44-4b7e-9f3f-8a2f0d1e6b21', name: 'Research', slug: 'research' },
].map((workspace) => ({
	...workspace,
	// The remaining fields every workspace object has in OpenRouter's definition.
	created_at: '2026-09-01T08:00:00Z',
	created_by: 'user_2dHFtVWx2n56w6HkM0000000000',
	default_guardrail_id: '595d5849-7e86-51fd-a7c0-705c34e4afff',
	default_image_model: null,
	default_provider_sort: null,
	default_text_model: null,
	description: null,
	include_byok_in_budgets: false,
	io_logging_api_key_ids: null,
	io_logging_sampling_rate: 1,
	is_data_discount_logging_enabled: false,
	is_observability_broadcast_enabled: false,
	is_observability_io_logging_enabled: false,
	updated_at: null,
}));

/** 101 keys: the default workspace's list pages by offset, 100 at a time; 11 live elsewhere. */
export const OPENROUTER_KEYS = Array.from({ length: 101 }, (_, n) => ({
	hash: `hash${String(n).padStart(3, '0')}`,
	name: `customer-${n}`,
	label: `sk-or-v1-0e6...${String(n).padStart(4, '0')}`,
	disabled: n === 100,
	limit: n % 2 === 0 ? 25.5 : null,
	limit_remaining: n % 2 === 0 ? 20.25 : null,
	limit_reset: n % 2 === 0 ? 'monthly' : null,
	include_byok_in_limit: false,
	byok_usage: 0,
	byok_usage_daily: 0,
	byok_usage_weekly: 0,
	byok_usage_monthly: 0,
	creator_user_id: null,
	usage: n === 0 ? 5.25 : 0.000001,
	usage_daily: 0,
	usage_weekly: 0,
	usage_monthly: 0,
	created_at: '2026-10-01T08:00:00Z',
	updated_at: null,
	expires_at: n === 1 ? '2027-01-01T00:00:00Z' : null,
	workspace_id: OPENROUTER_WORKSPACES[n >= 90 && n < 100 ? 1 : 0].id,
}));

export const OPENROUTER_CREDITS = { total_credits: 150.75, total_usage: 25.250001 };

/** Impersonates OpenRouter's key management and credits endpoints. */
export function openRouterStandIn(): StandIn {
	return new StandIn((req, res) => {
		if (req.headers.authorization !== `Bearer ${OPENROUTER_MANAGEMENT_KEY}`) {
			json(res, 401, { error: { code: 401, message: 'No auth credentials found' } });
			return;
		}
		if (req.method === 'POST' && req.path === '/api/v1/keys') {
			const body = JSON.parse(req.body || '{}') as {
				name?: string;
				limit?: number;
				limit_reset?: string | null;
			};
			if (body.limit !== undefined && body.limit < 0) {
				json(res, 400, { error: { code: 400, message: 'limit must be non-negative' } });
				return;
			}
			const hash = `created${Date.now()}`;
			json(res, 201, {
				data: {
					...OPENROUTER_KEYS[0],
					hash,
					name: body.name,
					label: `sk-or-v1-abc...${hash.slice(-4)}`,
					limit: body.limit ?? null,
					limit_reset: body.limit_reset ?? null,
					usage: 0,
				},
				key: `sk-or-v1-e2eCreatedKey${hash}0123456789abcdef`,
			});
			return;
		}
		if (req.method === 'DELETE' && req.path.startsWith('/api/v1/keys/')) {
			json(res, 200, { deleted: true });
			return;
		}
		if (req.path === '/api/v1/workspaces') {
			const offset = Number(req.query.get('offset') ?? 0);
			const limit = Number(req.query.get('limit') ?? 50);
			json(res, 200, {
				data: OPENROUTER_WORKSPACES.slice(offset, offset + limit),
				total_count: OPENROUTER_WORKSPACES.length,
			});
			return;
		}
		if (req.path === '/api/v1/keys') {
			// Without workspace_id only the default workspace's keys come back.
			const workspace = req.query.get('workspace_id') ?? OPENROUTER_WORKSPACES[0].id;
			const keys = OPENROUTER_KEYS.filter(
				(k) =>
					k.workspace_id === workspace &&
					(req.query.get('include_disabled') === 'true' || !k.disabled),
			);
			const offset = Number(req.query.get('offset') ?? 0);
			json(res, 200, { data: keys.slice(offset, offset + 100) });
			return;
		}
		if (req.path === '/api/v1/credits') {
			json(res, 200, { data: OPENROUTER_CREDITS });
			return;
		}
		json(res, 404, { error: { code: 404, message: `Unknown path ${req.path}` } });
	});
}
