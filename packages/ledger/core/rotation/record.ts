/**
 * Key rotation, step two: record the key the provider just created (or mint the new gateway
 * token), carry the old key's quota over to it, and start the grace period. One transaction: the
 * new key is recorded with its quota or not at all, and then the next Plan sweeps for it.
 *
 * Then the secret is delivered, and Confirm Delivery says so before the delivery lease runs out;
 * without it the new key is revoked and made again, and the old key stays.
 */
import type { Queryable } from '../db';
import { QUOTA_SUBJECT } from '../quota';
import { type Item, LedgerInputError } from '../fields';
import { CREATED_KEYS, createdKey, type CreatedKeyProvider } from '../keys';
import { mintToken } from '../tokens';
import { upsertRows } from '../upsert';
import { LEASE_SECONDS } from './plan';
import { lockRotation } from './state';

export interface RecordedRotation {
	rotation_id: string;
	provider: string;
	old_key_id: string;
	new_key_id: string;
	new_key_name: string;
	redacted_value: string;
	grace_until: string;
	/** The quotas the new key now spends, as "type:id" of the row shared with the old key. */
	quotas_carried: string[];
	/** The new key's secret: output once, never stored. */
	secret: string;
}

/**
 * $1 new subject type, $2 new id, $3 old subject type, $4 old id, $5 rotation. The new key spends
 * as the old one wherever the old one had quotas of its own or sat inside a parent's layers.
 */
export const CARRY_QUOTA_SQL = `
INSERT INTO llm_quota_aliases (subject_type, subject_id, target_type, target_id, rotation_id)
SELECT $1::text, $2::text, s.type, s.id, $5::uuid
  FROM (${QUOTA_SUBJECT('$3', '$4')}) s
 WHERE EXISTS (SELECT 1 FROM llm_quotas q WHERE q.subject_type = s.type AND q.subject_id = s.id)
    OR EXISTS (SELECT 1 FROM llm_quota_parents p WHERE p.subject_type = s.type AND p.subject_id = s.id)
ON CONFLICT (subject_type, subject_id) DO UPDATE
	SET target_type = EXCLUDED.target_type, target_id = EXCLUDED.target_id, rotation_id = EXCLUDED.rotation_id
RETURNING target_type || ':' || target_id AS carried`;

async function carryQuota(
	db: Queryable,
	rotationId: string,
	pairs: Array<{ type: string; from: string | null; to: string }>,
): Promise<string[]> {
	const carried = new Set<string>();
	for (const { type, from, to } of pairs) {
		if (!from) continue;
		const { rows } = await db.query<{ carried: string }>(CARRY_QUOTA_SQL, [
			type,
			to,
			type,
			from,
			rotationId,
		]);
		for (const row of rows) carried.add(row.carried);
	}
	return [...carried];
}

async function mintSuccessor(db: Queryable, oldHash: string, name: string) {
	const { rows } = await db.query<{
		scopes: string[];
		allowed_routes: string[];
		allowed_models: string[];
		upstream: string | null;
	}>(
		`SELECT scopes, allowed_routes, allowed_models, upstream FROM llm_gateway_tokens WHERE token_hash = $1`,
		[oldHash],
	);
	const old = rows[0];
	if (!old?.upstream) {
		throw new LedgerInputError(
			'Rotation ID',
			'a rotation of a gateway token with a named upstream',
			oldHash,
		);
	}
	return await mintToken(db, {
		name,
		scopes: old.scopes as never,
		routes: old.allowed_routes,
		models: old.allowed_models,
		upstream: old.upstream,
	});
}

/** Records the new key of a rotation in its create step. Call inside a transaction. */
export async function recordRotatedKey(
	db: Queryable,
	rotationId: string,
	created: Item,
): Promise<RecordedRotation> {
	const rotation = await lockRotation(db, rotationId);
	if (rotation.status !== 'create') {
		throw new LedgerInputError(
			'Rotation ID',
			'a rotation waiting for its new key (this one recorded its new key already)',
			rotationId,
		);
	}
	let newKeyId: string;
	let redacted: string;
	let secret: string;
	let carried: string[];
	if (rotation.provider === 'gateway') {
		const token = await mintSuccessor(db, rotation.old_key_id, rotation.new_key_name);
		({ token_hash: newKeyId, redacted_value: redacted, token: secret } = token);
		carried = await carryQuota(db, rotationId, [
			{ type: 'token_hash', from: rotation.old_key_id, to: newKeyId },
		]);
	} else {
		const { rows } = await db.query<{ project_id: string; key_hash: string | null }>(
			`SELECT project_id, key_hash FROM llm_api_keys WHERE provider = $1 AND key_id = $2`,
			[rotation.provider, rotation.old_key_id],
		);
		const old = rows[0] ?? { project_id: '', key_hash: null };
		const key = createdKey(rotation.provider as CreatedKeyProvider, created, {
			projectId: old.project_id,
			name: rotation.new_key_name,
		});
		key.row.metadata = JSON.stringify({
			...(JSON.parse(String(key.row.metadata)) as object),
			rotated_from: rotation.old_key_id,
			rotation_id: rotationId,
		});
		await upsertRows(db, CREATED_KEYS, [key.row]);
		newKeyId = String(key.row.key_id);
		redacted = String(key.row.redacted_value);
		secret = key.secret;
		carried = await carryQuota(db, rotationId, [
			{ type: 'key_id', from: rotation.old_key_id, to: newKeyId },
			{ type: 'key_hash', from: old.key_hash, to: String(key.row.key_hash) },
		]);
	}
	const { rows } = await db.query<{ grace_until: Date }>(
		`UPDATE llm_key_rotations
		    SET status = 'grace', new_key_id = $2, grace_until = now() + make_interval(secs => grace_seconds),
		        sweep_needed = false, leased_until = now() + make_interval(secs => $3::integer),
		        recorded_at = now(), delivered_at = NULL, updated_at = now()
		  WHERE rotation_id = $1 RETURNING grace_until`,
		[rotationId, newKeyId, LEASE_SECONDS],
	);
	return {
		rotation_id: rotationId,
		provider: rotation.provider,
		old_key_id: rotation.old_key_id,
		new_key_id: newKeyId,
		new_key_name: rotation.new_key_name,
		redacted_value: redacted,
		grace_until: new Date(rows[0].grace_until).toISOString(),
		quotas_carried: carried,
		secret,
	};
}

/** The new key's secret reached its holder: the old key may be revoked once the grace is over. */
export async function confirmDelivery(
	db: Queryable,
	rotationId: string,
): Promise<{
	rotation_id: string;
	provider: string;
	old_key_id: string;
	new_key_id: string;
	grace_until: string;
}> {
	const rotation = await lockRotation(db, rotationId);
	if (rotation.status !== 'grace' || !rotation.new_key_id) {
		throw new LedgerInputError(
			'Rotation ID',
			'a rotation whose new key was recorded and not yet revoked',
			rotationId,
		);
	}
	await db.query(
		`UPDATE llm_key_rotations SET delivered_at = coalesce(delivered_at, now()), leased_until = NULL, updated_at = now()
		  WHERE rotation_id = $1`,
		[rotationId],
	);
	return {
		rotation_id: rotationId,
		provider: rotation.provider,
		old_key_id: rotation.old_key_id,
		new_key_id: rotation.new_key_id,
		grace_until: new Date(rotation.grace_until!).toISOString(),
	};
}
