/**
 * Key rotation, the sweep: a create that was handed out and never recorded may have left a key at
 * the provider whose secret nobody holds. Given the provider's key list, this finds such keys (to
 * be revoked) and, once none is left, lets the next Plan create again.
 *
 * A lost key is recognised by the name the rotation creates it with (OpenAI service accounts,
 * OpenRouter keys). Volcengine access keys have no name: there it is any key of the same user made
 * since the rotation started that the ledger holds no hash of.
 */
import type { Queryable } from '../db';
import { type Item, nullableInstant, optionalText } from '../fields';
import { lockRotation } from './state';

export interface Orphan {
	rotation_id: string;
	provider: string;
	action: 'revoke';
	kind: 'orphan';
	/** The key to revoke: OpenRouter key hash, Volcengine access key ID, OpenAI service account ID. */
	key_id: string;
	project_id: string;
	service_account_id: string;
	user_name: string;
}

interface Listed {
	id: string;
	name: string;
	createdAt: string | null;
}

function listed(provider: string, item: Item): Listed {
	switch (provider) {
		case 'openrouter':
			return { id: optionalText(item, 'hash'), name: optionalText(item, 'name'), createdAt: null };
		case 'openai':
			return { id: optionalText(item, 'id'), name: optionalText(item, 'name'), createdAt: null };
		default:
			return {
				id: optionalText(item, 'AccessKeyId'),
				name: '',
				createdAt: nullableInstant(item, 'CreateDate'),
			};
	}
}

/**
 * The lost keys of one rotation among `items` (one provider's key list; an item without an ID
 * is an empty list). Call inside a transaction.
 */
export async function findOrphans(
	db: Queryable,
	rotationId: string,
	items: Item[],
	context: { projectId: string; userName: string },
): Promise<Orphan[]> {
	const rotation = await lockRotation(db, rotationId);
	if (rotation.status !== 'create') return [];
	const keys = items.map((item) => listed(rotation.provider, item)).filter((key) => key.id);
	let lost: Listed[];
	if (rotation.provider === 'volcengine') {
		const { rows } = await db.query<{ key_id: string }>(
			`SELECT key_id FROM llm_api_keys WHERE provider = 'volcengine' AND key_id = ANY($1) AND key_hash IS NOT NULL`,
			[keys.map((key) => key.id)],
		);
		const held = new Set(rows.map((row) => row.key_id));
		const since = rotation.started_at.getTime() - 60_000;
		lost = keys.filter(
			(key) =>
				key.id !== rotation.old_key_id &&
				!held.has(key.id) &&
				key.createdAt !== null &&
				Date.parse(key.createdAt) >= since,
		);
	} else {
		lost = keys.filter((key) => key.name === rotation.new_key_name);
	}
	// None left: the next Plan creates. Some: they are revoked now, and the next Plan sweeps again
	// to see them gone before it creates.
	await db.query(
		`UPDATE llm_key_rotations SET sweep_needed = $2, leased_until = NULL, updated_at = now()
		  WHERE rotation_id = $1`,
		[rotationId, lost.length > 0],
	);
	return [...new Map(lost.map((key) => [key.id, key])).values()].map((key) => ({
		rotation_id: rotationId,
		provider: rotation.provider,
		action: 'revoke',
		kind: 'orphan',
		key_id: key.id,
		project_id: context.projectId,
		service_account_id: rotation.provider === 'openai' ? key.id : '',
		user_name: context.userName,
	}));
}
