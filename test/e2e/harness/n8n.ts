import { spawn, type ChildProcess } from 'node:child_process';
import {
	existsSync,
	mkdirSync,
	mkdtempSync,
	readFileSync,
	renameSync,
	rmSync,
	writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

import { run, type RunResult } from './exec';
import { freePort } from '../../helpers/net';

/** The repository root: the nearest folder above this file with a package.json (also when compiled elsewhere). */
export const REPO_ROOT = (() => {
	let dir = __dirname;
	while (!existsSync(join(dir, 'package.json'))) {
		const parent = dirname(dir);
		if (parent === dir) throw new Error(`no package.json above ${__dirname}`);
		dir = parent;
	}
	return dir;
})();

function requireEnv(name: string): string {
	const value = process.env[name];
	if (!value)
		throw new Error(
			`${name} is not set: run the end-to-end tests through "npm test" (scripts/test.mjs), which installs n8n and Node.js 24`,
		);
	return value;
}

export const node24 = requireEnv('KEYPILOT_NODE24');
export const n8nBin = requireEnv('KEYPILOT_N8N_BIN');
const nodeBinDir = dirname(node24);

function npmEnv(): NodeJS.ProcessEnv {
	return { ...process.env, PATH: `${nodeBinDir}:${process.env.PATH}` };
}

/** The packages this repository publishes, and the folder under packages/ each is built in. */
export const PACKAGE_FOLDERS = {
	'n8n-nodes-keypilot': 'provider',
	'n8n-nodes-keypilot-ledger': 'ledger',
} as const;
export const PACKAGE_NAMES = Object.keys(PACKAGE_FOLDERS) as Array<keyof typeof PACKAGE_FOLDERS>;

/** `npm pack` of each built package, as it would be published. */
export async function packPackages(destination: string): Promise<string[]> {
	const tarballs: string[] = [];
	for (const name of PACKAGE_NAMES) {
		const { stdout } = await run('npm', ['pack', '--json', '--pack-destination', destination], {
			cwd: join(REPO_ROOT, 'packages', PACKAGE_FOLDERS[name]),
		});
		const [info] = JSON.parse(stdout.slice(stdout.indexOf('['))) as Array<{ filename: string }>;
		tarballs.push(join(destination, info.filename));
	}
	return tarballs;
}

/**
 * Installs package tarballs the way n8n's community-package installer does: each extracted into
 * `<userFolder>/.n8n/nodes/node_modules/<name>`, peer/dev/optional dependencies dropped from its
 * package.json, then `npm install --ignore-scripts --install-strategy=shallow --package-lock=false`.
 */
export async function installCommunityPackages(
	userFolder: string,
	tarballs: string[],
): Promise<string[]> {
	const nodesDir = join(userFolder, '.n8n', 'nodes');
	const installed: Record<string, string> = {};
	const targets: string[] = [];
	for (const tarball of tarballs) {
		const unpacked = join(nodesDir, 'node_modules', '.unpacking');
		rmSync(unpacked, { recursive: true, force: true });
		mkdirSync(unpacked, { recursive: true });
		await run('tar', ['-xzf', tarball, '-C', unpacked, '--strip-components=1']);
		const manifestPath = join(unpacked, 'package.json');
		const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as Record<string, unknown>;
		const name = String(manifest.name);
		const target = join(nodesDir, 'node_modules', name);
		rmSync(target, { recursive: true, force: true });
		renameSync(unpacked, target);
		delete manifest.peerDependencies;
		delete manifest.devDependencies;
		delete manifest.optionalDependencies;
		writeFileSync(join(target, 'package.json'), JSON.stringify(manifest, null, 2));
		await run(
			'npm',
			[
				'install',
				'--ignore-scripts',
				'--install-strategy=shallow',
				'--package-lock=false',
				'--no-audit',
				'--no-fund',
			],
			{ cwd: target, env: npmEnv() },
		);
		installed[name] = String(manifest.version);
		targets.push(target);
	}
	writeFileSync(
		join(nodesDir, 'package.json'),
		JSON.stringify({ name: 'installed-nodes', private: true, dependencies: installed }, null, 2),
	);
	return targets;
}

export interface N8nDatabase {
	host: string;
	port: number;
	user: string;
	password: string;
	database: string;
}

/** One n8n instance's user folder and environment, driven through the n8n CLI. */
export class N8nInstance {
	readonly userFolder: string;
	readonly node = node24;
	readonly bin = n8nBin;

	constructor(
		private readonly db: N8nDatabase,
		userFolder?: string,
	) {
		this.userFolder = userFolder ?? mkdtempSync(join(tmpdir(), 'keypilot-n8n-'));
	}

	env(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
		return {
			PATH: `${nodeBinDir}:${process.env.PATH}`,
			HOME: process.env.HOME,
			N8N_USER_FOLDER: this.userFolder,
			N8N_ENCRYPTION_KEY: 'keypilot-e2e-encryption-key-0123456789',
			DB_TYPE: 'postgresdb',
			DB_POSTGRESDB_HOST: this.db.host,
			DB_POSTGRESDB_PORT: String(this.db.port),
			DB_POSTGRESDB_USER: this.db.user,
			DB_POSTGRESDB_PASSWORD: this.db.password,
			DB_POSTGRESDB_DATABASE: this.db.database,
			N8N_DIAGNOSTICS_ENABLED: 'false',
			N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
			N8N_PERSONALIZATION_ENABLED: 'false',
			N8N_LOG_LEVEL: process.env.KEYPILOT_N8N_LOG_LEVEL ?? 'warn',
			N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'false',
			...extra,
		};
	}

	async cli(args: string[], options: { allowFailure?: boolean } = {}): Promise<RunResult> {
		return await run(node24, [n8nBin, ...args], {
			env: this.env(),
			allowFailure: options.allowFailure,
			timeoutMs: 300_000,
		});
	}

	async importCredentials(credentials: object[]): Promise<void> {
		const file = join(this.userFolder, 'credentials.json');
		writeFileSync(file, JSON.stringify(credentials));
		await this.cli(['import:credentials', `--input=${file}`]);
		rmSync(file);
	}

	async importWorkflow(workflow: object): Promise<void> {
		const file = join(this.userFolder, 'workflow.json');
		writeFileSync(file, JSON.stringify(workflow));
		await this.cli(['import:workflow', `--input=${file}`]);
	}

	/** Runs a workflow to the end; returns the CLI's output and whether it succeeded. */
	async execute(workflowId: string): Promise<RunResult> {
		return await this.cli(['execute', `--id=${workflowId}`, '--rawOutput'], { allowFailure: true });
	}

	/** Makes the workflow's current version the one its triggers and webhooks run. */
	async publish(workflowId: string): Promise<void> {
		await this.cli(['publish:workflow', `--id=${workflowId}`]);
	}

	/** `n8n start` on a free port (or the given one); resolves once it answers /healthz. */
	async start(
		options: { port?: number; env?: NodeJS.ProcessEnv; log?: boolean } = {},
	): Promise<RunningN8n> {
		const port = options.port ?? (await freePort());
		return await this.launch(
			['start'],
			port,
			{ N8N_PORT: String(port), ...options.env },
			options.log,
		);
	}

	/** `n8n worker` for queue mode; resolves once its health endpoint answers. */
	async startWorker(
		options: { env?: NodeJS.ProcessEnv; log?: boolean; concurrency?: number } = {},
	): Promise<RunningN8n> {
		const port = await freePort();
		return await this.launch(
			['worker', `--concurrency=${options.concurrency ?? 10}`],
			port,
			{ QUEUE_HEALTH_CHECK_ACTIVE: 'true', QUEUE_HEALTH_CHECK_PORT: String(port), ...options.env },
			options.log,
		);
	}

	private async launch(
		args: string[],
		port: number,
		extra: NodeJS.ProcessEnv,
		log = false,
	): Promise<RunningN8n> {
		// Every n8n process runs a task broker for Code nodes: give each its own port.
		const brokerPort = await freePort();
		const child = spawn(node24, [n8nBin, ...args], {
			env: this.env({
				N8N_SECURE_COOKIE: 'false',
				N8N_RUNNERS_BROKER_PORT: String(brokerPort),
				...extra,
			}),
			stdio: ['ignore', log ? 'pipe' : 'ignore', log ? 'pipe' : 'ignore'],
		});
		// Forwarded rather than inherited: a reader that went away (a closed pipe) must not take
		// n8n down with a write error in the middle of its shutdown.
		child.stdout?.on('data', (chunk: Buffer) => writeQuietly(process.stdout, chunk));
		child.stderr?.on('data', (chunk: Buffer) => writeQuietly(process.stderr, chunk));
		const url = `http://127.0.0.1:${port}`;
		await waitForHealth(`${url}/healthz`, child);
		return {
			url,
			process: child,
			async stop() {
				if (child.exitCode !== null || child.signalCode !== null) return;
				const exited = new Promise((resolve) => child.once('exit', resolve));
				child.kill('SIGTERM');
				const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
				await exited;
				clearTimeout(timer);
			},
		};
	}

	cleanup(): void {
		rmSync(this.userFolder, { recursive: true, force: true });
	}
}

/** Writes to a stream whose reader may be gone; a closed pipe is not an error here. */
export function writeQuietly(stream: NodeJS.WriteStream, chunk: Buffer | string): void {
	if (stream.destroyed || !stream.writable) return;
	try {
		stream.write(chunk);
	} catch {
		// The reader went away.
	}
}

export interface RunningN8n {
	url: string;
	process: ChildProcess;
	stop(): Promise<void>;
}

export async function waitForHealth(
	url: string,
	child: ChildProcess,
	timeoutMs = 120_000,
): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (Date.now() < deadline) {
		if (child.exitCode !== null) throw new Error(`n8n exited with code ${child.exitCode}`);
		try {
			if ((await fetch(url)).ok) return;
		} catch {
			// not listening yet
		}
		await new Promise((resolve) => setTimeout(resolve, 500));
	}
	throw new Error(`n8n did not answer ${url} within ${timeoutMs / 1000}s`);
}

/**
 * Waits until a published workflow's webhook answers: n8n answers /healthz before it has
 * registered them, and an unregistered path gets a 404 (or, early on, the editor's HTML page).
 */
export async function waitForWebhook(
	url: string,
	options: { method?: 'GET' | 'POST'; timeoutMs?: number } = {},
): Promise<void> {
	const method = options.method ?? 'POST';
	const deadline = Date.now() + (options.timeoutMs ?? 120_000);
	for (;;) {
		const response = await fetch(url, {
			method,
			...(method === 'POST' ? { body: '{}', headers: { 'content-type': 'application/json' } } : {}),
		});
		await response.arrayBuffer();
		const page = response.headers.get('content-type')?.includes('text/html') ?? false;
		if (response.status !== 404 && !page) return;
		if (Date.now() > deadline) throw new Error(`${url} still answers ${response.status}`);
		await new Promise((resolve) => setTimeout(resolve, 500));
	}
}
