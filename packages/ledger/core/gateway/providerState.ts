import type { Queryable } from '../db';

/**
 * Whether the stored response `responseId` at `provider` was made by the gateway token
 * `tokenHash`: its usage row records both. Every token of an upstream shares one provider key,
 * so the provider itself would continue anyone's stored response for anyone; this is what keeps
 * each token to its own.
 */
export async function madeResponse(
	db: Queryable,
	provider: string,
	responseId: string,
	tokenHash: string,
): Promise<boolean> {
	// At most one row: (provider, request_id) is unique.
	const { rows } = await db.query<{ key_hash: string | null }>(
		'SELECT key_hash FROM llm_usage_log WHERE provider = $1 AND request_id = $2',
		[provider, responseId],
	);
	return rows[0]?.key_hash === tokenHash;
}
