import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { installCommunityPackage, N8nInstance, packPackage, REPO_ROOT } from './n8n';
import { TestPostgres } from '../../helpers/postgres';
import { stage } from './timing';

export interface Environment {
	postgres: TestPostgres;
	n8n: N8nInstance;
	/** The package as `npm pack` made it, to install on more n8n instances (queue-mode workers). */
	tarball: string;
	stop(): Promise<void>;
}

export function readWorkflow(file: string): { id: string; [key: string]: unknown } {
	return JSON.parse(readFileSync(join(REPO_ROOT, 'workflows', file), 'utf8')) as {
		id: string;
	};
}

/**
 * A real PostgreSQL with two databases (n8n's own and `keypilot` with workflows/schema.sql applied
 * twice, to prove it idempotent) and a real n8n with the package installed from `npm pack` the
 * way n8n's installer does, its credentials and workflows imported.
 */
export async function startEnvironment(options: {
	credentials: (postgres: TestPostgres) => object[];
	workflows: object[];
}): Promise<Environment> {
	const postgres = new TestPostgres();
	const tarball = await stage('npm pack', () =>
		packPackage(mkdtempSync(join(tmpdir(), 'keypilot-pack-'))),
	);
	await stage('start PostgreSQL', async () => {
		await postgres.start();
		await postgres.createDatabase('n8n');
		await postgres.createDatabase('keypilot');
	});
	const schema = readFileSync(join(REPO_ROOT, 'workflows', 'schema.sql'), 'utf8');
	await stage('apply schema.sql twice', async () => {
		await postgres.query('keypilot', schema);
		await postgres.query('keypilot', schema);
	});
	const n8n = new N8nInstance(postgres.connection('n8n'));
	await stage('install package as n8n does', () =>
		installCommunityPackage(n8n.userFolder, tarball),
	);
	await stage('import credentials', () => n8n.importCredentials(options.credentials(postgres)));
	for (const workflow of options.workflows)
		await stage('import workflow', () => n8n.importWorkflow(workflow));
	return {
		postgres,
		n8n,
		tarball,
		async stop() {
			await postgres.stop();
			n8n.cleanup();
		},
	};
}
