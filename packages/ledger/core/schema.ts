/**
 * The ledger's schema version: applying the shipped migrations and checking that a database is at
 * the version these nodes expect. Pure: the caller passes a connection.
 */
import { inTransaction, type Queryable } from './db';
import { LEDGER_SCHEMA_VERSION, MIGRATIONS, type Migration } from './migrations';

export { LEDGER_SCHEMA_VERSION } from './migrations';

/** Held for the whole upgrade, so concurrent Set Up runs (two workers) apply each migration once. */
const MIGRATION_LOCK = 4_207_310_955_112_019;

const CREATE_MIGRATIONS_TABLE = `
CREATE TABLE IF NOT EXISTS keypilot_schema_migrations (
	version     integer     PRIMARY KEY,
	name        text        NOT NULL,
	applied_at  timestamptz NOT NULL DEFAULT now()
)`;

export const SET_UP_HINT =
	"Run the KeyPilot Ledger node's Database → Set Up operation on this database (it applies the migrations shipped with n8n-nodes-keypilot-ledger)";

export class LedgerSchemaError extends Error {
	constructor(
		message: string,
		readonly found: number,
	) {
		super(message);
	}
}

export interface SetUpResult {
	previous_version: number;
	version: number;
	applied: Array<{ version: number; name: string }>;
}

/** The highest applied migration, 0 when none has been (also for a schema made before migrations). */
export async function readSchemaVersion(db: Queryable): Promise<number> {
	const { rows } = await db.query<{ present: boolean }>(
		`SELECT to_regclass('keypilot_schema_migrations') IS NOT NULL AS present`,
	);
	if (!rows[0]?.present) return 0;
	const versions = await db.query<{ version: number | null }>(
		'SELECT max(version) AS version FROM keypilot_schema_migrations',
	);
	return versions.rows[0]?.version ?? 0;
}

/** Why the database cannot be used by these nodes, or undefined when it is at their version. */
export async function schemaProblem(db: Queryable): Promise<LedgerSchemaError | undefined> {
	const found = await readSchemaVersion(db);
	if (found === LEDGER_SCHEMA_VERSION) return undefined;
	const message =
		found < LEDGER_SCHEMA_VERSION
			? `The ledger database is at schema version ${found}; these nodes need version ${LEDGER_SCHEMA_VERSION}`
			: `The ledger database is at schema version ${found}, newer than these nodes (version ${LEDGER_SCHEMA_VERSION}): update n8n-nodes-keypilot-ledger`;
	return new LedgerSchemaError(message, found);
}

/**
 * Applies every migration the database lacks, in order, in one transaction under an advisory
 * lock: a run that fails leaves the database as it was, and a second run at the same time waits,
 * then finds nothing left to do. Running it again on a current database changes nothing.
 */
export async function setUpDatabase(
	db: Queryable,
	migrations: Migration[] = MIGRATIONS,
): Promise<SetUpResult> {
	return await inTransaction(db, async () => {
		await db.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
		await db.query(CREATE_MIGRATIONS_TABLE);
		const previous = await readSchemaVersion(db);
		const pending = migrations.filter((migration) => migration.version > previous);
		for (const migration of pending) {
			await db.query(migration.sql);
			await db.query('INSERT INTO keypilot_schema_migrations (version, name) VALUES ($1, $2)', [
				migration.version,
				migration.name,
			]);
		}
		return {
			previous_version: previous,
			version: pending.length ? pending[pending.length - 1].version : previous,
			applied: pending.map(({ version, name }) => ({ version, name })),
		};
	});
}
