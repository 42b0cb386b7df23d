import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { installCommunityPackages, N8nInstance, packPackages, REPO_ROOT } from './n8n';
import { TestPostgres } from '../../helpers/postgres';
import { stage } from './timing';

export interface Environment {
	postgres: TestPostgres;
	n8n: N8nInstance;
	/** Both packages as `npm pack` made them, to install on more n8n instances (queue-mode workers). */
	tarballs: string[];
	stop(): Promise<void>;
}

export function readWorkflow(file: string): { id: string; [key: string]: unknown } {
	return JSON.parse(
		readFileSync(join(REPO_ROOT, 'packages', 'ledger', 'workflows', file), 'utf8'),
	) as {
		id: string;
	};
}

/**
 * A real PostgreSQL with two databases (n8n's own and `keypilot` with the ledger's migrations
 * applied) and a real n8n with both packages installed from `npm pack` the
 * way n8n's installer does, its credentials and workflows imported.
 */
export async function startEnvironment(options: {
	credentials: (postgres: TestPostgres) => object[];
	workflows: object[];
}): Promise<Environment> {
	const postgres = new TestPostgres();
	const packDir = mkdtempSync(join(tmpdir(), 'keypilot-pack-'));
	const tarballs = await stage('npm pack', () => packPackages(packDir));
	await stage('start PostgreSQL', async () => {
		await postgres.start();
		await postgres.createDatabase('n8n');
		await postgres.createDatabase('keypilot');
	});
	await stage('set up the ledger database', () => postgres.setUpLedger('keypilot'));
	const n8n = new N8nInstance(postgres.connection('n8n'));
	await stage('install both packages as n8n does', () =>
		installCommunityPackages(n8n.userFolder, tarballs),
	);
	await stage('import credentials', () => n8n.importCredentials(options.credentials(postgres)));
	for (const workflow of options.workflows)
		await stage('import workflow', () => n8n.importWorkflow(workflow));
	return {
		postgres,
		n8n,
		tarballs,
		async stop() {
			await postgres.stop();
			n8n.cleanup();
			rmSync(packDir, { recursive: true, force: true });
		},
	};
}

/** The owner's step before a gateway token can name an upstream: register it in llm_upstreams. */
export async function registerUpstream(
	environment: Environment,
	name: string,
	url: string,
	api: 'openai' | 'anthropic' = 'openai',
) {
	await environment.postgres.query(
		'keypilot',
		'INSERT INTO llm_upstreams (name, url, api) VALUES ($1, $2, $3)',
		[name, url, api],
	);
}

/**
 * Publishes workflows that other workflows call: n8n runs a called workflow's published version,
 * which the server records when it starts (a CLI-published workflow has none until then), so the
 * server is started once and stopped again when every version is recorded.
 */
export async function publishCalledWorkflows(environment: Environment, ids: string[]) {
	for (const id of ids) await environment.n8n.publish(id);
	const running = await environment.n8n.start({ log: !!process.env.KEYPILOT_E2E_LOG });
	try {
		const deadline = Date.now() + 60_000;
		for (;;) {
			const rows = await environment.postgres.query<{ id: string }>(
				'n8n',
				'SELECT "workflowId" AS id FROM workflow_published_version WHERE "workflowId" = ANY($1)',
				[ids],
			);
			if (rows.length === ids.length) break;
			if (Date.now() > deadline) {
				throw new Error(`n8n recorded no published version of ${ids.join(', ')} within 60 s`);
			}
			await new Promise((resolve) => setTimeout(resolve, 250));
		}
	} finally {
		await running.stop();
	}
}

/**
 * A gateway token minted in the ledger for `upstream`, with a token quota when `quota` is given,
 * as KeyPilot Ledger → Gateway Token → Mint and Quota Check → Set would leave it.
 */
export async function mintGatewayToken(
	environment: Environment,
	name: string,
	options: { upstream?: string; quota?: { limit: number; warningPercent?: number } } = {},
): Promise<{ token: string; token_hash: string }> {
	const [row] = await environment.postgres.query<{ token: string; token_hash: string }>(
		'keypilot',
		`SELECT * FROM keypilot_mint_token($1, '{gateway}', '{}', '{}', $2)`,
		[name, options.upstream ?? 'stand-in'],
	);
	if (options.quota) {
		await environment.postgres.query(
			'keypilot',
			`INSERT INTO llm_quotas (subject_type, subject_id, quota_type, limit_amount, warning_percent)
			 VALUES ('token_hash', $1, 'tokens', $2, $3)`,
			[row.token_hash, options.quota.limit, options.quota.warningPercent ?? null],
		);
	}
	return row;
}

/** Points a shipped workflow's Settings node at a receiver, as a user sets their own webhook. */
export function pointAlertsAt(
	workflow: { nodes: Array<{ name: string; parameters: Record<string, unknown> }> },
	url: string,
): void {
	const settings = workflow.nodes.find((node) => node.name === 'Settings')!;
	const { assignments } = settings.parameters.assignments as {
		assignments: Array<{ name: string; value: unknown }>;
	};
	assignments.find((assignment) => assignment.name === 'webhook_url')!.value = url;
}
