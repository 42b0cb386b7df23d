/**
 * OpenRouter's key management as a stateful stand-in: keys are created, listed, read, changed and
 * deleted as the definition says (unknown body fields and bad values get 400, an unknown hash 404),
 * and a hook may run between changing the state and answering: the moment a crash is injected.
 * Keys pay for chat completions and are refused once their usage reached their limit.
 */
import { randomBytes } from 'node:crypto';

import { OPENROUTER_MANAGEMENT_KEY, OPENROUTER_WORKSPACES } from './openrouter';
import { json, type RecordedRequest, StandIn } from './server';

export interface StoredKey {
	hash: string;
	name: string;
	secret: string;
	limit: number | null;
	limit_reset: 'daily' | 'weekly' | 'monthly' | null;
	include_byok_in_limit: boolean;
	disabled: boolean;
	usage: number;
	created_at: string;
	updated_at: string | null;
}

const CREATE_FIELDS = [
	'name',
	'limit',
	'limit_reset',
	'include_byok_in_limit',
	'expires_at',
	'workspace_id',
	'creator_user_id',
];
const UPDATE_FIELDS = ['name', 'limit', 'limit_reset', 'include_byok_in_limit', 'disabled'];
const RESETS = ['daily', 'weekly', 'monthly', null];
/** What one chat completion costs a key, in USD. */
export const CALL_COST = 0.4;

/** The key object OpenRouter returns: every field its definition lists, never the secret. */
export function keyObject(key: StoredKey) {
	return {
		hash: key.hash,
		name: key.name,
		label: `${key.secret.slice(0, 12)}...${key.secret.slice(-4)}`,
		disabled: key.disabled,
		limit: key.limit,
		limit_remaining: key.limit === null ? null : Math.max(0, key.limit - key.usage),
		limit_reset: key.limit_reset,
		include_byok_in_limit: key.include_byok_in_limit,
		byok_usage: 0,
		byok_usage_daily: 0,
		byok_usage_weekly: 0,
		byok_usage_monthly: 0,
		creator_user_id: null,
		usage: key.usage,
		usage_daily: key.usage,
		usage_weekly: key.usage,
		usage_monthly: key.usage,
		created_at: key.created_at,
		updated_at: key.updated_at,
		expires_at: null,
		workspace_id: OPENROUTER_WORKSPACES[0].id,
	};
}

export class OpenRouterKeyStore {
	readonly keys = new Map<string, StoredKey>();
	/** Runs after a key was created and before the answer; returning false sends no answer. */
	afterCreate?: (key: StoredKey) => boolean;
	/** Runs after a key was deleted and before the answer; returning false sends no answer. */
	afterDelete?: (key: StoredKey) => boolean;
	readonly standIn = new StandIn((req, res) => {
		if (req.method === 'POST' && req.path === '/api/v1/chat/completions') {
			const answer = this.complete(req);
			json(res, answer.status, answer.body);
			return;
		}
		if (req.headers.authorization !== `Bearer ${OPENROUTER_MANAGEMENT_KEY}`) {
			json(res, 401, { error: { code: 401, message: 'No auth credentials found' } });
			return;
		}
		const answer = this.answer(req);
		if (answer) json(res, answer.status, answer.body);
	});

	add(key: Partial<StoredKey> & { name: string }): StoredKey {
		const stored: StoredKey = {
			hash: randomBytes(32).toString('hex'),
			secret: `sk-or-v1-${randomBytes(32).toString('hex')}`,
			limit: null,
			limit_reset: null,
			include_byok_in_limit: false,
			disabled: false,
			usage: 0,
			created_at: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
			updated_at: null,
			...key,
		};
		this.keys.set(stored.hash, stored);
		return stored;
	}

	/**
	 * A chat completion paid by the calling key, which costs CALL_COST USD. As OpenRouter does, a
	 * key whose usage reached its limit is refused with 402 before anything is spent.
	 */
	private complete(req: RecordedRequest): { status: number; body: unknown } {
		const secret = String(req.headers.authorization ?? '').replace(/^Bearer /, '');
		const key = [...this.keys.values()].find((candidate) => candidate.secret === secret);
		if (!key || key.disabled) {
			return { status: 401, body: { error: { code: 401, message: 'User not found.' } } };
		}
		if (key.limit !== null && key.usage >= key.limit) {
			return { status: 402, body: { error: { code: 402, message: 'Key limit exceeded' } } };
		}
		key.usage = Math.round((key.usage + CALL_COST) * 1e6) / 1e6;
		return {
			status: 200,
			body: {
				id: `gen-${randomBytes(8).toString('hex')}`,
				object: 'chat.completion',
				created: Math.floor(Date.now() / 1000),
				model: 'openai/gpt-4o-mini',
				system_fingerprint: null,
				choices: [
					{ index: 0, finish_reason: 'stop', message: { role: 'assistant', content: 'ok' } },
				],
				usage: { prompt_tokens: 10, completion_tokens: 1, total_tokens: 11, cost: CALL_COST },
			},
		};
	}

	private answer(req: RecordedRequest): { status: number; body: unknown } | undefined {
		const bad = (message: string) => ({ status: 400, body: { error: { code: 400, message } } });
		const body = (): Record<string, unknown> =>
			JSON.parse(req.body || '{}') as Record<string, unknown>;
		const settings = (fields: Record<string, unknown>, allowed: string[]) => {
			const unknown = Object.keys(fields).filter((field) => !allowed.includes(field));
			if (unknown.length)
				return `Unrecognized key(s) in object: ${unknown.map((f) => `'${f}'`).join(', ')}`;
			if (
				'limit' in fields &&
				fields.limit !== null &&
				(typeof fields.limit !== 'number' || fields.limit < 0)
			) {
				return 'limit must be a non-negative number or null';
			}
			if ('limit_reset' in fields && !RESETS.includes(fields.limit_reset as string | null)) {
				return 'limit_reset must be daily, weekly, monthly or null';
			}
			return undefined;
		};
		if (req.path === '/api/v1/workspaces') {
			return { status: 200, body: { data: OPENROUTER_WORKSPACES.slice(0, 1), total_count: 1 } };
		}
		if (req.path === '/api/v1/keys' && req.method === 'POST') {
			const fields = body();
			const problem =
				settings(fields, CREATE_FIELDS) ??
				(typeof fields.name !== 'string' || !fields.name ? 'name is required' : undefined);
			if (problem) return bad(problem);
			const key = this.add({
				name: fields.name as string,
				limit: (fields.limit as number | null | undefined) ?? null,
				limit_reset: (fields.limit_reset as StoredKey['limit_reset'] | undefined) ?? null,
				include_byok_in_limit: fields.include_byok_in_limit === true,
			});
			if (this.afterCreate && !this.afterCreate(key)) return undefined;
			return { status: 201, body: { data: keyObject(key), key: key.secret } };
		}
		if (req.path === '/api/v1/keys' && req.method === 'GET') {
			const offset = Number(req.query.get('offset') ?? 0);
			const all = [...this.keys.values()].filter(
				(key) => req.query.get('include_disabled') === 'true' || !key.disabled,
			);
			return { status: 200, body: { data: all.slice(offset, offset + 100).map(keyObject) } };
		}
		const match = /^\/api\/v1\/keys\/([^/]+)$/.exec(req.path);
		const key = match ? this.keys.get(decodeURIComponent(match[1])) : undefined;
		if (match && !key) {
			return { status: 404, body: { error: { code: 404, message: 'Resource not found' } } };
		}
		if (key && req.method === 'GET') return { status: 200, body: { data: keyObject(key) } };
		if (key && req.method === 'PATCH') {
			const fields = body();
			const problem = settings(fields, UPDATE_FIELDS);
			if (problem) return bad(problem);
			Object.assign(key, fields, { updated_at: new Date().toISOString() });
			return { status: 200, body: { data: keyObject(key) } };
		}
		if (key && req.method === 'DELETE') {
			this.keys.delete(key.hash);
			if (this.afterDelete && !this.afterDelete(key)) return undefined;
			return { status: 200, body: { deleted: true } };
		}
		return { status: 404, body: { error: { code: 404, message: `Unknown path ${req.path}` } } };
	}
}
