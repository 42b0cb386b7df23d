/**
 * What the ledger needs of a database: pg's `query`, one transaction helper and one reading of
 * a missing table. Pure: the caller passes a connection (a pg client, or anything alike).
 */
export interface Queryable {
	query<R = Record<string, unknown>>(text: string, values?: unknown[]): Promise<{ rows: R[] }>;
	query<R = Record<string, unknown>>(config: {
		name: string;
		text: string;
		values: unknown[];
	}): Promise<{ rows: R[] }>;
}

/** Runs `work` in one transaction: all of it is written, or nothing. */
export async function inTransaction<T>(db: Queryable, work: () => Promise<T>): Promise<T> {
	await db.query('BEGIN');
	let committed = false;
	try {
		const result = await work();
		await db.query('COMMIT');
		committed = true;
		return result;
	} finally {
		if (!committed) await db.query('ROLLBACK').catch(() => undefined);
	}
}

/** True when a statement failed on a table that does not exist: a database never set up. */
export function isMissingTable(error: unknown): boolean {
	return (error as { code?: unknown } | null)?.code === '42P01';
}
