/**
 * Key rotation, the last step: the provider revoked a key (or said it was already gone), so the
 * ledger marks it revoked. The old key ends its rotation; a lost key from a sweep is recorded as
 * revoked, so nothing made at a provider goes unrecorded. Gateway tokens are revoked here alone.
 */
import type { Queryable } from '../db';
import { LedgerInputError } from '../fields';
import { lockRotation, type Rotation } from './state';

export interface Revoked {
	rotation_id: string;
	provider: string;
	kind: 'old' | 'orphan' | 'undelivered';
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
	if (keyId === rotation.new_key_id) {
		return await revokeUndelivered(db, rotation, base);
	}
	if (keyId !== rotation.old_key_id) {
		if (rotation.provider === 'gateway') {
			throw new LedgerInputError(
				'Key ID',
				`the old key ${rotation.old_key_id} or a key a sweep found`,
				keyId,
			);
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
	if (!rotation.delivered_at) {
		throw new LedgerInputError(
			'Key ID',
			`the new key ${rotation.new_key_id}: the old key stays until the new key's delivery is confirmed`,
			keyId,
		);
	}
	await revokeInLedger(db, rotation.provider, keyId);
	await db.query(
		`UPDATE llm_key_rotations SET status = 'done', revoked_at = now(), leased_until = NULL, updated_at = now()
		  WHERE rotation_id = $1`,
		[rotationId],
	);
	return { ...base, kind: 'old', changed: true };
}

async function revokeInLedger(db: Queryable, provider: string, keyId: string): Promise<void> {
	if (provider === 'gateway') {
		await db.query(
			`UPDATE llm_gateway_tokens SET status = 'revoked', revoked_at = now() WHERE token_hash = $1`,
			[keyId],
		);
	} else {
		await db.query(
			`UPDATE llm_api_keys SET status = 'revoked', synced_at = now() WHERE provider = $1 AND key_id = $2`,
			[provider, keyId],
		);
	}
}

/**
 * A new key whose secret never reached its holder is useless: revoked, its quota link removed,
 * and the rotation goes back to create (the old key stays valid throughout).
 */
async function revokeUndelivered(
	db: Queryable,
	rotation: Rotation,
	base: Omit<Revoked, 'kind' | 'changed'>,
): Promise<Revoked> {
	if (rotation.status !== 'grace' || rotation.delivered_at) {
		throw new LedgerInputError(
			'Key ID',
			`the old key ${rotation.old_key_id}: the new key was delivered and stays`,
			base.revoked_key_id,
		);
	}
	await revokeInLedger(db, rotation.provider, base.revoked_key_id);
	await db.query(`DELETE FROM llm_quota_aliases WHERE rotation_id = $1`, [rotation.rotation_id]);
	await db.query(
		`UPDATE llm_key_rotations
		    SET status = 'create', new_key_id = NULL, grace_until = NULL, recorded_at = NULL,
		        sweep_needed = false, leased_until = NULL, updated_at = now()
		  WHERE rotation_id = $1`,
		[rotation.rotation_id],
	);
	return { ...base, kind: 'undelivered', changed: true };
}
