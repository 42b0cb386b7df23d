import { createHash } from 'node:crypto';

import type {
	ICredentialDataDecryptedObject,
	IExecuteFunctions,
	INode,
	INodeExecutionData,
} from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import { Pool, type PoolClient, type PoolConfig } from 'pg';

import type { Checked, Results } from '../../common/router';
import { isMissingTable } from '../../core/db';
import { schemaProblem, SET_UP_HINT } from '../../core/schema';

/**
 * Connection pools for n8n's built-in Postgres credential, one per distinct connection, shared by
 * every execution in this process (as n8n's own Postgres node does). They hold connections only,
 * no data: each n8n worker has its own and they close when idle.
 */
const pools = new Map<string, Pool>();

/** Pools whose database was found at the schema version these nodes use (versions only go up). */
const current = new WeakSet<Pool>();

/** Why the pool's database cannot be used, checked until it is found current once. */
async function schemaProblemOnce(pool: Pool, client: PoolClient): Promise<Error | undefined> {
	if (current.has(pool)) return undefined;
	const problem = await schemaProblem(client);
	if (!problem) current.add(pool);
	return problem;
}

export class PostgresCredentialError extends Error {}

/**
 * A statement that failed on a missing table means a database that was never set up (or lost its
 * tables): said the same way by every ledger node, with the operation that fixes it.
 */
export function missingSchemaError(
	node: INode,
	error: unknown,
	itemIndex?: number,
): NodeOperationError | undefined {
	if (!isMissingTable(error)) return undefined;
	const item = itemIndex === undefined ? '' : ` (item ${itemIndex})`;
	return new NodeOperationError(node, `The ledger's tables do not exist in this database${item}`, {
		itemIndex,
		description: SET_UP_HINT,
	});
}

export function poolConfig(credentials: ICredentialDataDecryptedObject): PoolConfig {
	if (credentials.sshTunnel === true) {
		throw new PostgresCredentialError(
			'The Postgres credential uses an SSH tunnel, which these nodes do not open: connect to the database directly',
		);
	}
	const ssl = credentials.ssl as string | undefined;
	return {
		host: String(credentials.host ?? 'localhost'),
		port: Number(credentials.port ?? 5432),
		database: String(credentials.database ?? 'postgres'),
		user: String(credentials.user ?? 'postgres'),
		password: String(credentials.password ?? ''),
		ssl:
			ssl && ssl !== 'disable'
				? { rejectUnauthorized: credentials.allowUnauthorizedCerts !== true }
				: false,
		max: Number(credentials.maxConnections) || 10,
		idleTimeoutMillis: 30_000,
		allowExitOnIdle: true,
		application_name: 'n8n-nodes-keypilot',
	};
}

export function poolFor(credentials: ICredentialDataDecryptedObject): Pool {
	const config = poolConfig(credentials);
	const key = createHash('sha256').update(JSON.stringify(config)).digest('hex');
	let pool = pools.get(key);
	if (!pool) {
		pool = new Pool(config);
		// An idle connection dropped by the server must not take n8n down; the pool replaces it.
		pool.on('error', () => undefined);
		pools.set(key, pool);
	}
	return pool;
}

/**
 * Runs `work` on a pooled connection for the node's Postgres credential and gives the connection
 * back. A credential these nodes cannot use, a database that cannot be reached, or one whose
 * schema is not at the version these nodes use (unless `anySchema`, for Set Up) is a node error.
 */
export async function withPostgres<T>(
	this: IExecuteFunctions,
	work: (client: PoolClient) => Promise<T>,
	options: { anySchema?: boolean } = {},
): Promise<T> {
	const credentials = await this.getCredentials('postgres');
	let client: PoolClient;
	let pool: Pool;
	try {
		pool = poolFor(credentials);
		client = await pool.connect();
	} catch (error) {
		const message =
			error instanceof PostgresCredentialError
				? error.message
				: `Could not connect to Postgres: ${(error as Error).message}`;
		throw new NodeOperationError(this.getNode(), message);
	}
	let succeeded = false;
	try {
		const problem = options.anySchema ? undefined : await schemaProblemOnce(pool, client);
		if (problem) {
			succeeded = true;
			throw new NodeOperationError(this.getNode(), problem.message, { description: SET_UP_HINT });
		}
		let result: T;
		try {
			result = await work(client);
		} catch (error) {
			throw missingSchemaError(this.getNode(), error) ?? error;
		}
		succeeded = true;
		return result;
	} finally {
		// A failed client may hold a broken connection: drop it rather than pool it again.
		client.release(!succeeded);
	}
}

/**
 * A pool for a credential whose database is at the schema version these nodes use, for work that
 * outlives one execute call (a chat model handed to the AI Agent). Throws a plain error otherwise.
 */
export async function currentPool(credentials: ICredentialDataDecryptedObject): Promise<Pool> {
	const pool = poolFor(credentials);
	const client = await pool.connect();
	let problem: Error | undefined;
	try {
		problem = await schemaProblemOnce(pool, client);
	} finally {
		client.release();
	}
	if (problem) throw new Error(`${problem.message}. ${SET_UP_HINT}`);
	return pool;
}

/** Closes every pool of this process (for tests and benchmarks that stop their database). */
export async function closePools(): Promise<void> {
	const open = [...pools.values()];
	pools.clear();
	await Promise.all(open.map(async (pool) => await pool.end()));
}

/**
 * The write of a ledger operation: every checked item handed to `work` on one pooled connection,
 * and what it returns emitted on the first output. A thrown error fails every item: nothing is
 * reported as written that was not.
 */
export function inLedger<Input>(
	work: (
		this: IExecuteFunctions,
		db: PoolClient,
		inputs: Array<Checked<Input>>,
	) => Promise<INodeExecutionData[]>,
	options: { anySchema?: boolean } = {},
) {
	return async function (
		this: IExecuteFunctions,
		checked: Array<Checked<Input>>,
		results: Results,
	): Promise<void> {
		const onLedger = withPostgres<INodeExecutionData[]>;
		const written = await onLedger.call(
			this,
			async (db) => await work.call(this, db, checked),
			options,
		);
		for (const entry of written) results.emit(0, entry);
	};
}
