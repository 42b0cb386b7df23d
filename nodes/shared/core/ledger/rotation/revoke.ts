/**
 * Key rotation, the last step: the provider revoked a key (or said it was already gone), so the
 * ledger marks it revoked. The old key ends its rotation; a lost key from a sweep is recorded as
 * revoked, so nothing made at a provider goes unrecorded. Gateway tokens are revoked here alone.
 */
import type { Queryable } from '../../quota';
import { LedgerInputError } from '../fields';
import { lockRotation } from './state';

export interface Revoked {
	rotation_id: string;
	provider: string;
	kind: 'old' | 'orphan';
	revoked_key_id: string;
	new_key_id: string | null;
	/** True when this run changed the ledger (false: it was marked before). */
	changed: boolean;
}

/** Call inside a transaction. `keyId` is the key the provider revoked. */
export async function markRevoked(
	db: Queryable,
	rotationId: string,
	keyId: string,
): Promise<Revoked> {
	const rotation = await lockRotation(db, rotationId);
	const base = {
		rotation_id: rotationId,
		provider: rotation.provider,
		revoked_key_id: keyId,
		new_key_id: rotation.new_key_id,
	};
	if (keyId !== rotation.old_key_id) {
		if (rotation.provider === 'gateway' || keyId === rotation.new_key_id) {
			throw new LedgerInputError('Key ID', `the old key ${rotation.old_key_id} or a key a sweep found`, keyId);
		}
		const { rows } = await db.query(
			`INSERT INTO llm_api_keys (provider, key_id, name, status, metadata)
			 VALUES ($1, $2, $3, 'revoked', jsonb_build_object('lost_by_rotation', $4::text))
			 ON CONFLICT (provider, key_id) DO UPDATE SET status = 'revoked', synced_at = now()
			 WHERE llm_api_keys.status <> 'revoked'
			 RETURNING key_id`,
			[rotation.provider, keyId, rotation.new_key_name, rotationId],
		);
		return { ...base, kind: 'orphan', changed: rows.length > 0 };
	}
	if (rotation.status === 'done') return { ...base, kind: 'old', changed: false };
	if (rotation.status !== 'grace') {
		throw new LedgerInputError(
			'Rotation ID',
			'a rotation whose new key is recorded (the old key is revoked only after that)',
			rotationId,
		);
	}
	if (rotation.provider === 'gateway') {
		await db.query(
			`UPDATE llm_gateway_tokens SET status = 'revoked', revoked_at = now() WHERE token_hash = $1`,
			[keyId],
		);
	} else {
		await db.query(
			`UPDATE llm_api_keys SET status = 'revoked', synced_at = now() WHERE provider = $1 AND key_id = $2`,
			[rotation.provider, keyId],
		);
	}
	await db.query(
		`UPDATE llm_key_rotations SET status = 'done', revoked_at = now(), leased_until = NULL, updated_at = now()
		  WHERE rotation_id = $1`,
		[rotationId],
	);
	return { ...base, kind: 'old', changed: true };
}
