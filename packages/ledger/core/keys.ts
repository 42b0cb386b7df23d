/**
 * Provider keys in one row shape: from a key list (Store Keys) and from a key just created
 * (Record Created Key, which also hashes and redacts the secret here, so the secret never
 * reaches the database).
 */
import { keyHash } from './keyHash';
import {
	at,
	type Item,
	LedgerInputError,
	nullableInstant,
	nullableText,
	optionalText,
	text,
} from './fields';
import type { Row, TableSpec } from './upsert';

export const KEY_PROVIDERS = ['openai', 'anthropic', 'openrouter', 'volcengine'] as const;
export type KeyProvider = (typeof KEY_PROVIDERS)[number];
export const CREATED_KEY_PROVIDERS = ['openai', 'openrouter', 'volcengine'] as const;
export type CreatedKeyProvider = (typeof CREATED_KEY_PROVIDERS)[number];

const LISTED = [
	'name',
	'redacted_value',
	'project_id',
	'owner_type',
	'owner_id',
	'status',
	'created_at',
	'last_used_at',
	'expires_at',
	'metadata',
];

/** A key list never carries the secret: key_hash (set when the key was created) is left alone. */
export const KEYS: TableSpec = {
	table: 'llm_api_keys',
	key: ['provider', 'key_id'],
	values: LISTED,
	touched: 'synced_at',
	keptWhenNull: [
		'name',
		'redacted_value',
		'owner_type',
		'owner_id',
		'created_at',
		'last_used_at',
		'expires_at',
	],
};

export const CREATED_KEYS: TableSpec = {
	table: 'llm_api_keys',
	key: ['provider', 'key_id'],
	values: [...LISTED, 'key_hash'],
	touched: 'synced_at',
};

const json = (value: Record<string, unknown>) => JSON.stringify(value);

function openAiOwner(item: Item): { type: string | null; id: string | null } {
	const type = nullableText(item, 'owner.type');
	const owner = type ? at(item, `owner.${type}`) : undefined;
	const id = owner && typeof owner === 'object' ? nullableText(owner as Item, 'id') : null;
	return { type, id };
}

function listed(provider: KeyProvider, item: Item, projectId: string): Row {
	switch (provider) {
		case 'openai': {
			const owner = openAiOwner(item);
			return {
				provider,
				key_id: text(item, 'id'),
				name: nullableText(item, 'name'),
				redacted_value: nullableText(item, 'redacted_value'),
				project_id: projectId,
				owner_type: owner.type,
				owner_id: owner.id,
				status: 'active',
				created_at: nullableInstant(item, 'created_at'),
				last_used_at: nullableInstant(item, 'last_used_at'),
				expires_at: null,
				metadata: json({ object: at(item, 'object') ?? null }),
			};
		}
		case 'anthropic':
			return {
				provider,
				key_id: text(item, 'id'),
				name: nullableText(item, 'name'),
				redacted_value: nullableText(item, 'partial_key_hint'),
				project_id: optionalText(item, 'workspace_id') || projectId,
				owner_type: nullableText(item, 'created_by.type'),
				owner_id: nullableText(item, 'created_by.id'),
				status: text(item, 'status'),
				created_at: nullableInstant(item, 'created_at'),
				last_used_at: null,
				expires_at: nullableInstant(item, 'expires_at'),
				metadata: json({}),
			};
		case 'openrouter':
			return {
				provider,
				key_id: text(item, 'hash'),
				name: nullableText(item, 'name'),
				redacted_value: nullableText(item, 'label'),
				project_id: projectId,
				owner_type: 'management_key',
				owner_id: null,
				status: at(item, 'disabled') === true ? 'disabled' : 'active',
				created_at: nullableInstant(item, 'created_at'),
				last_used_at: null,
				expires_at: nullableInstant(item, 'expires_at'),
				metadata: json({
					limit: at(item, 'limit') ?? null,
					limit_reset: at(item, 'limit_reset') ?? null,
					include_byok_in_limit: at(item, 'include_byok_in_limit') ?? false,
				}),
			};
		case 'volcengine': {
			const userName = optionalText(item, 'UserName');
			return {
				provider,
				key_id: text(item, 'AccessKeyId'),
				name: null,
				redacted_value: null,
				project_id: projectId,
				owner_type: userName ? 'iam_user' : 'account',
				owner_id: userName || null,
				status: (optionalText(item, 'Status') || 'active').toLowerCase(),
				created_at: nullableInstant(item, 'CreateDate'),
				last_used_at: null,
				expires_at: null,
				metadata: json({}),
			};
		}
	}
}

/** A row of llm_api_keys from one item of a provider's key list. */
export function keyRow(provider: KeyProvider, item: Item, projectId = ''): Row {
	return listed(provider, item, projectId);
}

/** What the provider shows of a secret: its first 8 and last 4 characters. */
export function redact(secret: string): string {
	return `${secret.slice(0, 8)}…${secret.slice(-4)}`;
}

export interface CreatedKey {
	row: Row;
	secret: string;
}

const SECRET_PATH: Record<CreatedKeyProvider, string> = {
	openai: 'api_key.value',
	openrouter: 'key',
	volcengine: 'SecretAccessKey',
};

/** The row to record for a key just created, from the create operation's output item. */
export function createdKey(
	provider: CreatedKeyProvider,
	item: Item,
	options: { projectId?: string; name?: string } = {},
): CreatedKey {
	const secret = at(item, SECRET_PATH[provider]);
	if (typeof secret !== 'string' || secret.length < 12) {
		// The value is a secret: never repeat it in the error.
		throw new LedgerInputError(
			SECRET_PATH[provider],
			"the new key's secret as the create operation returned it",
			secret === undefined ? undefined : '(a value that is not a key)',
		);
	}
	const base = {
		provider,
		project_id: options.projectId ?? '',
		status: 'active',
		created_at: new Date().toISOString(),
		last_used_at: null,
		expires_at: null,
		metadata: json({}),
		redacted_value: redact(secret),
		key_hash: keyHash(secret),
	};
	const named = (fallback: string | null) => options.name || fallback;
	if (provider === 'openai') {
		return {
			secret,
			row: {
				...base,
				key_id: text(item, 'api_key.id'),
				name: named(nullableText(item, 'api_key.name') ?? nullableText(item, 'name')),
				owner_type: 'service_account',
				owner_id: nullableText(item, 'id'),
				created_at: nullableInstant(item, 'api_key.created_at') ?? base.created_at,
			},
		};
	}
	if (provider === 'openrouter') {
		return {
			secret,
			row: {
				...base,
				key_id: text(item, 'hash'),
				name: named(nullableText(item, 'name')),
				owner_type: 'management_key',
				owner_id: null,
				expires_at: nullableInstant(item, 'expires_at'),
				metadata: json({
					limit: at(item, 'limit') ?? null,
					limit_reset: at(item, 'limit_reset') ?? null,
				}),
			},
		};
	}
	const userName = optionalText(item, 'UserName');
	return {
		secret,
		row: {
			...base,
			key_id: text(item, 'AccessKeyId'),
			name: named(null),
			owner_type: userName ? 'iam_user' : 'account',
			owner_id: userName || null,
		},
	};
}
