/**
 * `npm run demo`: a real n8n with this package installed, an embedded PostgreSQL with the schema
 * applied, every workflow in workflows/ and its credentials imported, and local stand-ins for
 * OpenAI, Anthropic, OpenRouter and Volcengine so it runs offline. A provider whose real key is
 * in the environment is called for real instead. Ctrl-C stops it all.
 */
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { workflowCredentials } from '../test/e2e/harness/credentials';
import {
	installCommunityPackage,
	N8nInstance,
	packPackage,
	REPO_ROOT,
	type RunningN8n,
} from '../test/e2e/harness/n8n';
import { ANTHROPIC_ADMIN_KEY, anthropicStandIn } from '../test/e2e/standins/anthropic';
import { OPENAI_ADMIN_KEY, openAiStandIn } from '../test/e2e/standins/openai';
import { OPENROUTER_MANAGEMENT_KEY, openRouterStandIn } from '../test/e2e/standins/openrouter';
import type { StandIn } from '../test/e2e/standins/server';
import { VOLCENGINE_AK, VOLCENGINE_SK, volcengineStandIn } from '../test/e2e/standins/volcengine';
import { TestPostgres } from '../test/helpers/postgres';

const PORT = Number(process.env.N8N_PORT ?? 5678);
const env = process.env;

function log(message: string): void {
	process.stdout.write(`${message}\n`);
}

/** A provider: its stand-in unless the environment holds a real key for it. */
function provider(name: string, realKeyVariable: string, standIn: () => StandIn) {
	const real = env[realKeyVariable];
	return { name, real, standIn: real ? undefined : standIn(), variable: realKeyVariable };
}

async function main(): Promise<void> {
	const postgres = new TestPostgres();
	const providers = {
		openai: provider('OpenAI', 'OPENAI_ADMIN_KEY', openAiStandIn),
		anthropic: provider('Anthropic', 'ANTHROPIC_ADMIN_KEY', anthropicStandIn),
		openrouter: provider('OpenRouter', 'OPENROUTER_MANAGEMENT_KEY', openRouterStandIn),
		volcengine: provider('Volcengine', 'VOLCENGINE_SECRET_ACCESS_KEY', volcengineStandIn),
	};
	let running: RunningN8n | undefined;
	let n8n: N8nInstance | undefined;

	let stopping = false;
	const stop = async (code: number) => {
		if (stopping) return;
		stopping = true;
		log('\nStopping n8n, the provider stand-ins and PostgreSQL...');
		await running?.stop();
		for (const { standIn } of Object.values(providers)) await standIn?.stop();
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

		for (const { name, standIn, variable } of Object.values(providers)) {
			await standIn?.start();
			log(
				standIn
					? `${name} stand-in at ${standIn.url}`
					: `${name}: the real API (${variable} is set)`,
			);
		}
		const url = (key: keyof typeof providers, suffix: string, real: string) =>
			providers[key].standIn ? `${providers[key].standIn!.url}${suffix}` : real;

		n8n = new N8nInstance(postgres.connection('n8n'));
		const tarball = await packPackage(mkdtempSync(join(tmpdir(), 'keypilot-pack-')));
		await installCommunityPackage(n8n.userFolder, tarball);
		await n8n.importCredentials(
			workflowCredentials({
				postgres,
				database: 'keypilot',
				openAi: {
					apiKey: providers.openai.real ?? OPENAI_ADMIN_KEY,
					baseUrl: url('openai', '/v1', 'https://api.openai.com/v1'),
					organizationId: env.OPENAI_ORG_ID,
				},
				anthropic: {
					apiKey: providers.anthropic.real ?? ANTHROPIC_ADMIN_KEY,
					baseUrl: url('anthropic', '', 'https://api.anthropic.com'),
				},
				openRouter: {
					apiKey: providers.openrouter.real ?? OPENROUTER_MANAGEMENT_KEY,
					baseUrl: url('openrouter', '/api/v1', 'https://openrouter.ai/api/v1'),
				},
				volcengine: {
					accessKeyId: env.VOLCENGINE_ACCESS_KEY_ID ?? VOLCENGINE_AK,
					secretAccessKey: providers.volcengine.real ?? VOLCENGINE_SK,
					endpoint: url('volcengine', '', 'https://open.volcengineapi.com'),
					region: env.VOLCENGINE_REGION,
				},
			}),
		);
		const files = readdirSync(join(REPO_ROOT, 'workflows')).filter((file) =>
			file.endsWith('.json'),
		);
		for (const file of files) {
			await n8n.importWorkflow(
				JSON.parse(readFileSync(join(REPO_ROOT, 'workflows', file), 'utf8')),
			);
		}
		log(`Imported ${files.length} workflows: ${files.join(', ')}`);
		const sync = await n8n.execute('kpCostSyncAll001');
		log(
			`"Cost sync: all providers" ran once: ${sync.code === 0 ? 'ok' : `failed\n${sync.stderr.slice(-2000)}`}`,
		);

		running = await n8n.start({ port: PORT, log: true, env: { N8N_LOG_LEVEL: 'info' } });

		log(`
n8n is running with n8n-nodes-keypilot installed.

  Editor:        http://localhost:${PORT}   (create the owner account on first visit)
  Workflows:     "Cost sync: all providers" and one sync per provider (Run Now, or hourly once activated)
  Rows:          psql postgresql://${postgres.user}:${postgres.password}@${postgres.host}:${postgres.port}/keypilot \\
                   -c 'SELECT * FROM llm_cost_daily' -c 'SELECT * FROM llm_api_keys' -c 'SELECT * FROM llm_account_balance'

Press Ctrl-C to stop everything.`);
		running.process.once('exit', (code) => void stop(code ?? 1));
	} catch (error) {
		log(`Demo failed: ${(error as Error).message}`);
		await stop(1);
	}
}

void main();
