/** A rotation's row, read under its lock by the steps that change it. */
import type { Queryable } from '../db';
import { LedgerInputError } from '../fields';
import type { RotationProvider } from './plan';

export interface Rotation {
	rotation_id: string;
	provider: RotationProvider;
	old_key_id: string;
	new_key_id: string | null;
	new_key_name: string;
	status: 'create' | 'grace' | 'done';
	grace_until: Date | null;
	delivered_at: Date | null;
	started_at: Date;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The rotation, locked until the caller's transaction ends; an unknown ID is an input error. */
export async function lockRotation(db: Queryable, rotationId: string): Promise<Rotation> {
	if (!UUID.test(rotationId)) {
		throw new LedgerInputError('Rotation ID', 'the rotation_id a Plan step handed out', rotationId);
	}
	const { rows } = await db.query<Rotation>(
		`SELECT rotation_id::text, provider, old_key_id, new_key_id, new_key_name, status,
		        grace_until, delivered_at, started_at
		   FROM llm_key_rotations WHERE rotation_id = $1 FOR UPDATE`,
		[rotationId],
	);
	if (!rows.length) {
		throw new LedgerInputError(
			'Rotation ID',
			'the ID of a rotation in llm_key_rotations',
			rotationId,
		);
	}
	return rows[0];
}
