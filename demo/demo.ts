/**
 * `npm run demo`: a real n8n with this package installed, an embedded PostgreSQL with the schema
 * applied, the workflows and credentials imported, and a local stand-in for OpenAI so it runs
 * offline. With OPENAI_ADMIN_KEY set, the real OpenAI API is used instead. Ctrl-C stops it all.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import {
	installCommunityPackage,
	N8nInstance,
	packPackage,
	REPO_ROOT,
} from '../test/e2e/harness/n8n';
import { workflowCredentials } from '../test/e2e/harness/credentials';
import { TestPostgres } from '../test/helpers/postgres';
import { OPENAI_ADMIN_KEY, openAiStandIn } from '../test/e2e/standins/openai';

const PORT = Number(process.env.N8N_PORT ?? 5678);

function log(message: string): void {
	process.stdout.write(`${message}\n`);
}

async function waitForHealth(url: string, child: ChildProcess, timeoutMs = 120_000): Promise<void> {
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

async function main(): Promise<void> {
	const postgres = new TestPostgres();
	const realKey = process.env.OPENAI_ADMIN_KEY;
	const openai = realKey ? undefined : openAiStandIn();
	let n8nProcess: ChildProcess | undefined;
	let n8n: N8nInstance | undefined;

	let stopping = false;
	const stop = async (code: number) => {
		if (stopping) return;
		stopping = true;
		log('\nStopping n8n, the OpenAI stand-in and PostgreSQL...');
		if (n8nProcess && n8nProcess.exitCode === null) {
			n8nProcess.kill('SIGTERM');
			await new Promise((resolve) => n8nProcess!.once('exit', resolve));
		}
		await openai?.stop();
		await postgres.stop();
		n8n?.cleanup();
		log('Stopped.');
		process.exit(code);
	};
	process.on('SIGINT', () => void stop(0));
	process.on('SIGTERM', () => void stop(0));

	try {
		await postgres.start();
		await postgres.createDatabase('n8n');
		await postgres.createDatabase('keypilot');
		await postgres.query(
			'keypilot',
			readFileSync(join(REPO_ROOT, 'workflows', 'schema.sql'), 'utf8'),
		);
		log(`PostgreSQL ${postgres.host}:${postgres.port} (databases n8n, keypilot; schema applied)`);

		await openai?.start();
		const openAiBaseUrl = openai ? `${openai.url}/v1` : 'https://api.openai.com/v1';
		log(
			openai
				? `OpenAI stand-in at ${openai.url}`
				: 'Using the real OpenAI API (OPENAI_ADMIN_KEY is set)',
		);

		n8n = new N8nInstance(postgres.connection('n8n'));
		const tarball = await packPackage(mkdtempSync(join(tmpdir(), 'keypilot-pack-')));
		await installCommunityPackage(n8n.userFolder, tarball);
		await n8n.importCredentials(
			workflowCredentials({
				postgres,
				database: 'keypilot',
				openAi: {
					apiKey: realKey ?? OPENAI_ADMIN_KEY,
					baseUrl: openAiBaseUrl,
					organizationId: process.env.OPENAI_ORG_ID,
				},
			}),
		);
		await n8n.importWorkflow(
			JSON.parse(readFileSync(join(REPO_ROOT, 'workflows', 'openai-cost-sync.json'), 'utf8')),
		);
		const firstSync = await n8n.execute('kpOpenAiCostSync');
		log(
			`OpenAI cost sync ran once: ${firstSync.code === 0 ? 'ok' : `failed\n${firstSync.stderr.slice(-2000)}`}`,
		);

		n8nProcess = spawn(n8n.node, [n8n.bin, 'start'], {
			env: n8n.env({ N8N_PORT: String(PORT), N8N_LOG_LEVEL: 'info', N8N_SECURE_COOKIE: 'false' }),
			stdio: ['ignore', 'inherit', 'inherit'],
		});
		await waitForHealth(`http://127.0.0.1:${PORT}/healthz`, n8nProcess);

		log(`
n8n is running with n8n-nodes-keypilot installed.

  Editor:        http://localhost:${PORT}   (create the owner account on first visit)
  Workflow:      "OpenAI cost sync" (Run Now, or hourly once activated)
  Cost rows:     psql postgresql://${postgres.user}:${postgres.password}@${postgres.host}:${postgres.port}/keypilot -c 'SELECT * FROM llm_cost_daily'

Press Ctrl-C to stop everything.`);
		n8nProcess.once('exit', (code) => void stop(code ?? 1));
	} catch (error) {
		log(`Demo failed: ${(error as Error).message}`);
		await stop(1);
	}
}

void main();
