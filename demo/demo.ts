/**
 * `npm run demo`: a real n8n with this package installed, an embedded PostgreSQL with the schema
 * applied, the workflows and credentials imported, and local stand-ins for OpenAI and Volcengine
 * so it runs offline. With OPENAI_ADMIN_KEY (or VOLCENGINE_ACCESS_KEY_ID and
 * VOLCENGINE_SECRET_ACCESS_KEY) set, that provider's real API is used instead. Ctrl-C stops it all.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import {
	installCommunityPackage,
	N8nInstance,
	packPackage,
	REPO_ROOT,
	type RunningN8n,
} from '../test/e2e/harness/n8n';
import { workflowCredentials } from '../test/e2e/harness/credentials';
import { TestPostgres } from '../test/helpers/postgres';
import { OPENAI_ADMIN_KEY, openAiStandIn } from '../test/e2e/standins/openai';
import { VOLCENGINE_AK, VOLCENGINE_SK, volcengineStandIn } from '../test/e2e/standins/volcengine';

const PORT = Number(process.env.N8N_PORT ?? 5678);

function log(message: string): void {
	process.stdout.write(`${message}\n`);
}

async function main(): Promise<void> {
	const postgres = new TestPostgres();
	const realKey = process.env.OPENAI_ADMIN_KEY;
	const openai = realKey ? undefined : openAiStandIn();
	const realVolcengine =
		process.env.VOLCENGINE_ACCESS_KEY_ID && process.env.VOLCENGINE_SECRET_ACCESS_KEY;
	const volcengine = realVolcengine ? undefined : volcengineStandIn();
	let running: RunningN8n | undefined;
	let n8n: N8nInstance | undefined;

	let stopping = false;
	const stop = async (code: number) => {
		if (stopping) return;
		stopping = true;
		log('\nStopping n8n, the provider stand-ins and PostgreSQL...');
		await running?.stop();
		await openai?.stop();
		await volcengine?.stop();
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

		await volcengine?.start();
		log(
			volcengine
				? `Volcengine stand-in at ${volcengine.url}`
				: 'Using the real Volcengine API (VOLCENGINE_ACCESS_KEY_ID is set)',
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
				volcengine: {
					accessKeyId: process.env.VOLCENGINE_ACCESS_KEY_ID ?? VOLCENGINE_AK,
					secretAccessKey: process.env.VOLCENGINE_SECRET_ACCESS_KEY ?? VOLCENGINE_SK,
					endpoint: volcengine ? volcengine.url : 'https://open.volcengineapi.com',
					region: process.env.VOLCENGINE_REGION,
				},
			}),
		);
		await n8n.importWorkflow(
			JSON.parse(readFileSync(join(REPO_ROOT, 'workflows', 'openai-cost-sync.json'), 'utf8')),
		);
		await n8n.importWorkflow(
			JSON.parse(readFileSync(join(REPO_ROOT, 'workflows', 'volcengine-sync.json'), 'utf8')),
		);
		for (const [name, id] of [
			['OpenAI cost sync', 'kpOpenAiCostSync'],
			['Volcengine sync', 'kpVolcengineSync'],
		]) {
			const sync = await n8n.execute(id);
			log(`${name} ran once: ${sync.code === 0 ? 'ok' : `failed\n${sync.stderr.slice(-2000)}`}`);
		}

		running = await n8n.start({ port: PORT, log: true, env: { N8N_LOG_LEVEL: 'info' } });

		log(`
n8n is running with n8n-nodes-keypilot installed.

  Editor:        http://localhost:${PORT}   (create the owner account on first visit)
  Workflows:     "OpenAI cost sync", "Volcengine sync" (Run Now, or hourly once activated)
  Rows:          psql postgresql://${postgres.user}:${postgres.password}@${postgres.host}:${postgres.port}/keypilot \\
                   -c 'SELECT * FROM llm_cost_daily' -c 'SELECT * FROM llm_cost_monthly' -c 'SELECT * FROM llm_account_balance'

Press Ctrl-C to stop everything.`);
		running.process.once('exit', (code) => void stop(code ?? 1));
	} catch (error) {
		log(`Demo failed: ${(error as Error).message}`);
		await stop(1);
	}
}

void main();
