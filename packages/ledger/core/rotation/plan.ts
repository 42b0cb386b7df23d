/**
 * Key rotation, step one: start the rotations that are due (keys older than the maximum age, or
 * one key on demand) and hand out the next step of every open rotation, each under a lease so two
 * runs never take the same step. Pure: the caller passes a connection, inside a transaction.
 *
 * A rotation moves create → grace → done. Its create is handed out once per lease; a create that
 * was handed out and never recorded (a crash, a failed write) makes the next step a sweep for the
 * key it may have left at the provider, before creating again. Gateway tokens are minted and
 * recorded in one transaction, so they never need a sweep.
 */
import type { Queryable } from '../db';
import { LedgerInputError } from '../fields';

export const ROTATION_PROVIDERS = ['openai', 'openrouter', 'volcengine', 'gateway'] as const;
export type RotationProvider = (typeof ROTATION_PROVIDERS)[number];
export type RotationAction = 'create' | 'sweep' | 'revoke';
/** What a revoke step revokes: the old key, or a new key whose secret was never delivered. */
export type RevokeKind = 'old' | 'undelivered';

/** How long a handed-out step holds its rotation: a run that takes it has this long to finish. */
export const LEASE_SECONDS = 900;

/** Serializes Plan runs, so a key is started and a step handed out once. */
const PLAN_LOCK = 4_207_310_955_112_020;

export interface PlanRequest {
	providers: RotationProvider[];
	/** Rotate active keys older than this many days; null rotates none by age. */
	maxAgeDays: number | null;
	graceSeconds: number;
	/** Rotate this key now, whatever its age. */
	onDemand: { provider: RotationProvider; keyId: string } | null;
}

export interface RotationStep {
	rotation_id: string;
	provider: RotationProvider;
	action: RotationAction;
	reason: 'age' | 'on_demand';
	/** The key a revoke step revokes; the ledger marks it revoked by this ID. */
	key_id: string;
	kind: RevokeKind;
	/** The key being replaced. */
	old_key_id: string;
	old_key_name: string | null;
	/** The name the new key is created with; a sweep finds a lost create by it. */
	new_key_name: string;
	/** OpenAI: the project, and the service account that owns the key to revoke (revoked with it). */
	project_id: string;
	service_account_id: string;
	/** Volcengine: the IAM user whose access key it is ('' for the account's own). */
	user_name: string;
	/** OpenRouter: the old key's credit limit and reset, carried over to the new key. */
	limit: string | null;
	limit_reset: string | null;
	include_byok_in_limit: boolean;
	grace_until: string | null;
	attempt: number;
}

const NEW_NAME = (
	name: string,
	id: string,
) => `regexp_replace(${name}, ' \\(rotation [0-9a-f]{8}\\)$', '')
	|| ' (rotation ' || left(${id}::text, 8) || ')'`;

/** Provider keys we can create again: OpenAI service-account keys in a project, OpenRouter and Volcengine keys. */
const ROTATABLE_KEYS = `
	SELECT k.provider, k.key_id, coalesce(k.name, k.key_id) AS name, k.created_at
	  FROM llm_api_keys k
	 WHERE k.status = 'active' AND k.provider IN ('openai', 'openrouter', 'volcengine')
	   AND (k.provider <> 'openai' OR (k.owner_type = 'service_account' AND k.owner_id IS NOT NULL AND k.project_id <> ''))
	UNION ALL
	SELECT 'gateway', t.token_hash, t.name, t.created_at FROM llm_gateway_tokens t WHERE t.status = 'active'`;

/**
 * $1 providers, $2 maximum age in days (null: none by age), $3 grace seconds, $4 on-demand
 * provider, $5 on-demand key. A key that is the new key of an open rotation is not rotated again
 * until that rotation is done.
 */
const START_SQL = `
WITH candidates AS (${ROTATABLE_KEYS}),
due AS (
	SELECT gen_random_uuid() AS id, c.*,
	       CASE WHEN c.provider = $4::text AND c.key_id = $5::text THEN 'on_demand' ELSE 'age' END AS reason
	  FROM candidates c
	 WHERE c.provider = ANY($1::text[])
	   AND ((c.provider = $4::text AND c.key_id = $5::text)
	        OR ($2::numeric IS NOT NULL AND c.created_at < now() - make_interval(secs => $2::numeric * 86400)))
	   AND NOT EXISTS (SELECT 1 FROM llm_key_rotations r
	                    WHERE r.provider = c.provider AND r.new_key_id = c.key_id AND r.status <> 'done')
)
INSERT INTO llm_key_rotations (rotation_id, provider, old_key_id, new_key_name, reason, grace_seconds)
SELECT id, provider, key_id, ${NEW_NAME('name', 'id')}, reason, $3::integer FROM due
ON CONFLICT (provider, old_key_id) WHERE status <> 'done' DO NOTHING`;

/**
 * Hands out each open rotation's next step under a lease; $1 providers, $2 lease seconds. A new key
 * whose delivery lease ran out without a confirmed delivery is revoked (its secret is lost), and
 * the rotation creates again; the old key is revoked only after a confirmed delivery.
 */
const HAND_OUT_SQL = `
WITH next AS (
	SELECT r.rotation_id,
	       CASE WHEN r.status = 'create' AND r.sweep_needed THEN 'sweep'
	            WHEN r.status = 'create' THEN 'create'
	            WHEN r.status = 'grace' AND r.delivered_at IS NULL THEN 'revoke'
	            WHEN r.status = 'grace' AND r.grace_until <= now() THEN 'revoke' END AS action,
	       CASE WHEN r.status = 'grace' AND r.delivered_at IS NULL THEN 'undelivered' ELSE 'old' END AS kind
	  FROM llm_key_rotations r
	 WHERE r.status <> 'done' AND r.provider = ANY($1::text[])
	   AND (r.leased_until IS NULL OR r.leased_until <= now())
	   FOR UPDATE SKIP LOCKED
)
UPDATE llm_key_rotations r
   SET leased_until = now() + make_interval(secs => $2::integer),
       attempts = r.attempts + CASE WHEN n.action = 'create' THEN 1 ELSE 0 END,
       sweep_needed = r.sweep_needed OR (n.action = 'create' AND r.provider <> 'gateway'),
       updated_at = now()
  FROM next n
 WHERE r.rotation_id = n.rotation_id AND n.action IS NOT NULL
RETURNING r.rotation_id::text, n.action, n.kind`;

const DETAILS_SQL = `
SELECT r.rotation_id::text, r.provider, r.reason, r.old_key_id, r.new_key_id, r.new_key_name,
       r.attempts AS attempt, r.grace_until, coalesce(k.name, t.name) AS old_key_name,
       coalesce(k.project_id, '') AS project_id,
       CASE WHEN r.rotation_id = ANY($2::uuid[]) THEN coalesce(nk.owner_id, '')
            WHEN k.owner_type = 'service_account' THEN k.owner_id ELSE '' END AS service_account_id,
       CASE WHEN k.owner_type = 'iam_user' THEN k.owner_id ELSE '' END AS user_name,
       k.metadata->>'limit' AS "limit", k.metadata->>'limit_reset' AS limit_reset,
       coalesce((k.metadata->>'include_byok_in_limit')::boolean, false) AS include_byok_in_limit
  FROM llm_key_rotations r
  LEFT JOIN llm_api_keys k ON r.provider <> 'gateway' AND k.provider = r.provider AND k.key_id = r.old_key_id
  LEFT JOIN llm_api_keys nk ON nk.provider = r.provider AND nk.key_id = r.new_key_id AND nk.owner_type = 'service_account'
  LEFT JOIN llm_gateway_tokens t ON r.provider = 'gateway' AND t.token_hash = r.old_key_id
 WHERE r.rotation_id = ANY($1::uuid[])
 ORDER BY r.started_at, r.rotation_id`;

/** Starts what is due and hands out the next steps. Call inside a transaction. */
export async function planRotations(db: Queryable, request: PlanRequest): Promise<RotationStep[]> {
	await db.query('SELECT pg_advisory_xact_lock($1)', [PLAN_LOCK]);
	if (request.onDemand) {
		const { provider, keyId } = request.onDemand;
		const { rows } = await db.query(
			`SELECT 1 FROM (${ROTATABLE_KEYS}) c WHERE c.provider = $1 AND c.key_id = $2`,
			[provider, keyId],
		);
		if (!rows.length) {
			throw new LedgerInputError(
				'Key ID',
				`an active ${provider} key the ledger knows${provider === 'openai' ? ' (a service-account key with its project)' : ''}`,
				keyId,
			);
		}
	}
	await db.query(START_SQL, [
		request.providers,
		request.maxAgeDays,
		request.graceSeconds,
		request.onDemand?.provider ?? null,
		request.onDemand?.keyId ?? null,
	]);
	const { rows: handed } = await db.query<{
		rotation_id: string;
		action: RotationAction;
		kind: RevokeKind;
	}>(HAND_OUT_SQL, [request.providers, LEASE_SECONDS]);
	if (!handed.length) return [];
	const steps = new Map(handed.map((row) => [row.rotation_id, row]));
	const undelivered = handed.filter((row) => row.kind === 'undelivered' && row.action === 'revoke');
	const { rows } = await db.query<
		Omit<RotationStep, 'action' | 'key_id' | 'kind'> & {
			grace_until: Date | null;
			new_key_id: string | null;
		}
	>(DETAILS_SQL, [[...steps.keys()], undelivered.map((row) => row.rotation_id)]);
	return rows.map(({ new_key_id: newKeyId, ...row }) => {
		const { action, kind } = steps.get(row.rotation_id)!;
		const revokesNew = action === 'revoke' && kind === 'undelivered';
		return {
			...row,
			action,
			kind: action === 'revoke' ? kind : 'old',
			key_id: revokesNew && newKeyId ? newKeyId : row.old_key_id,
			grace_until: row.grace_until ? new Date(row.grace_until).toISOString() : null,
		};
	});
}
