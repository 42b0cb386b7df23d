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

/** Socket errors of a connection that could not be made or was lost. */
const LOST_CONNECTION = new Set([
	'ECONNREFUSED',
	'ECONNRESET',
	'EPIPE',
	'ETIMEDOUT',
	'EHOSTUNREACH',
]);

/**
 * True when an error (or one it wraps, as `cause`) says the database could not be reached or went
 * away: a socket error, a connection-exception SQLSTATE (class 08), an operator intervention
 * (57P: shutdown, restart) or pg's own "Connection terminated".
 */
export function isUnreachable(error: unknown): boolean {
	for (let found = error, depth = 0; found instanceof Error && depth < 5; depth++) {
		const code = (found as { code?: unknown }).code;
		if (typeof code === 'string' && (LOST_CONNECTION.has(code) || /^(08|57P)/.test(code))) {
			return true;
		}
		if (/^Connection terminated/.test(found.message)) return true;
		found = (found as { cause?: unknown }).cause;
	}
	return false;
}
