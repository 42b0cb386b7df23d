/**
 * Quota Check in a real n8n, with each "On Error" setting and each kind of failure (an amount
 * that is not one, an unreachable database, a statement cancelled by PostgreSQL): no failed
 * reservation ever leaves through Allowed.
 */
import { randomUUID } from 'node:crypto';

import { workflowCredentials } from './harness/credentials';
import { startEnvironment, type Environment } from './harness/environment';
import { waitForWebhook, type RunningN8n } from './harness/n8n';
import { stage } from './harness/timing';
import { freePort } from '../helpers/net';

jest.setTimeout(10 * 60 * 1000);

const SETTINGS = ['stopWorkflow', 'continueRegularOutput', 'continueErrorOutput'] as const;
type Setting = (typeof SETTINGS)[number];
const UNREACHABLE = { id: 'kpPostgresDown01', name: 'Nothing listens here' };
const LEDGER = { id: 'kpPostgres000001', name: 'KeyPilot Postgres' };

function respond(name: string, route: string, x: number, y: number) {
	return {
		parameters: {
			respondWith: 'json',
			responseBody: `={{ { route: '${route}', code: $json.quota?.error_code ?? null } }}`,
			options: {},
		},
		id: randomUUID(),
		name,
		type: 'n8n-nodes-base.respondToWebhook',
		typeVersion: 1.1,
		position: [x, y],
	};
}

/** Webhook → Quota Check (Reserve) → one Respond per output, for one setting and database. */
function reserveWorkflow(setting: Setting, database: 'up' | 'down') {
	const quota = {
		parameters: {
			operation: 'reserve',
			subjectType: 'project',
			subject: '={{ $json.body.subject }}',
			amount: '={{ $json.body.amount }}',
			whenNoQuota: 'allow',
		},
		id: randomUUID(),
		name: 'Reserve',
		type: 'n8n-nodes-keypilot-ledger.quotaCheck',
		typeVersion: 1,
		position: [220, 0],
		credentials: { postgres: database === 'up' ? LEDGER : UNREACHABLE },
		...(setting === 'stopWorkflow' ? {} : { onError: setting }),
	};
	const outputs = [
		[{ node: 'Allowed', type: 'main', index: 0 }],
		[{ node: 'Exhausted', type: 'main', index: 0 }],
	];
	if (setting === 'continueErrorOutput') outputs.push([{ node: 'Failed', type: 'main', index: 0 }]);
	return {
		id: `quotaOnError${SETTINGS.indexOf(setting)}${database === 'up' ? 'U' : 'D'}`,
		name: `Quota Check on error: ${setting}, database ${database}`,
		nodes: [
			{
				parameters: {
					httpMethod: 'POST',
					path: `reserve-${setting}-${database}`,
					responseMode: 'responseNode',
					options: {},
				},
				id: randomUUID(),
				name: 'Webhook',
				type: 'n8n-nodes-base.webhook',
				typeVersion: 2,
				position: [0, 0],
				webhookId: randomUUID(),
			},
			quota,
			respond('Allowed', 'allowed', 440, -150),
			respond('Exhausted', 'exhausted', 440, 0),
			respond('Failed', 'error', 440, 150),
		],
		connections: {
			Webhook: { main: [[{ node: 'Reserve', type: 'main', index: 0 }]] },
			Reserve: { main: outputs },
		},
		settings: { executionOrder: 'v1' },
		active: false,
	};
}

const workflows = SETTINGS.flatMap((setting) => [
	reserveWorkflow(setting, 'up'),
	reserveWorkflow(setting, 'down'),
]);
let environment: Environment;
let n8n: RunningN8n;

beforeAll(async () => {
	const closedPort = await freePort();
	environment = await startEnvironment({
		credentials: (postgres) => [
			...workflowCredentials({ postgres, database: 'keypilot' }),
			{
				...UNREACHABLE,
				type: 'postgres',
				data: {
					host: '127.0.0.1',
					port: closedPort,
					database: 'keypilot',
					user: 'postgres',
					password: 'x',
					ssl: 'disable',
				},
			},
		],
		workflows,
	});
	for (const workflow of workflows) await environment.n8n.publish(workflow.id);
	n8n = await stage('n8n start', () => environment.n8n.start());
	await stage('webhooks registered', async () => {
		for (const setting of SETTINGS)
			await waitForWebhook(`${n8n.url}/webhook/reserve-${setting}-up`);
	});
	// A quota that is already spent: anything that leaves through Allowed would overspend it.
	await environment.postgres.query(
		'keypilot',
		`INSERT INTO llm_quotas (subject_type, subject_id, quota_type, limit_amount, used)
		 VALUES ('project', 'spent', 'tokens', 10, 10), ('project', 'locked', 'tokens', 1000, 0), ('project', 'fresh', 'tokens', 1000, 0)`,
	);
});

afterAll(async () => {
	await n8n?.stop();
	await environment?.stop();
});

async function reserve(setting: Setting, database: 'up' | 'down', body: object) {
	const response = await fetch(`${n8n.url}/webhook/reserve-${setting}-${database}`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify(body),
	});
	const text = await response.text();
	let json: { route?: string; code?: string | null } = {};
	try {
		json = JSON.parse(text) as typeof json;
	} catch {
		// n8n's own answer when the workflow stopped on the error.
	}
	return { status: response.status, ...json };
}

/** Where a failure must go under each setting. */
function expectFailedRoute(
	setting: Setting,
	result: Awaited<ReturnType<typeof reserve>>,
	code: string,
) {
	expect(result.route).not.toBe('allowed');
	if (setting === 'stopWorkflow') expect(result.status).toBeGreaterThanOrEqual(500);
	if (setting === 'continueRegularOutput')
		expect(result).toMatchObject({ route: 'exhausted', code });
	if (setting === 'continueErrorOutput') expect(result).toMatchObject({ route: 'error' });
}

describe.each(SETTINGS)('Quota Check with On Error = %s', (setting) => {
	it('lets a request that fits through Allowed', async () => {
		expect(await reserve(setting, 'up', { subject: 'fresh', amount: '1' })).toMatchObject({
			route: 'allowed',
		});
	});

	it('never sends an amount that is not one through Allowed', async () => {
		expectFailedRoute(
			setting,
			await reserve(setting, 'up', { subject: 'spent', amount: 'abc' }),
			'QUOTA_INPUT_INVALID',
		);
	});

	it('never sends a reservation through Allowed when the database cannot be reached', async () => {
		expectFailedRoute(
			setting,
			await reserve(setting, 'down', { subject: 'spent', amount: '1' }),
			'QUOTA_STORE_UNAVAILABLE',
		);
	});

	it('never sends a reservation through Allowed when PostgreSQL cancels its statement', async () => {
		const holder = environment.postgres.client('keypilot');
		await holder.connect();
		try {
			await holder.query('BEGIN');
			await holder.query(`SELECT 1 FROM llm_quotas WHERE subject_id = 'locked' FOR UPDATE`);
			const pending = reserve(setting, 'up', { subject: 'locked', amount: '1' });
			let cancelled = false;
			for (let i = 0; i < 100 && !cancelled; i++) {
				const rows = await environment.postgres.query<{ cancelled: boolean }>(
					'keypilot',
					`SELECT pg_cancel_backend(pid) AS cancelled FROM pg_stat_activity
					  WHERE datname = 'keypilot' AND wait_event_type = 'Lock' AND pid <> $1`,
					[(holder as unknown as { processID: number }).processID],
				);
				cancelled = rows.some((row) => row.cancelled);
				if (!cancelled) await new Promise((resolve) => setTimeout(resolve, 100));
			}
			expect(cancelled).toBe(true);
			expectFailedRoute(setting, await pending, 'QUOTA_CHECK_FAILED');
		} finally {
			await holder.query('ROLLBACK');
			await holder.end();
		}
		const [locked] = await environment.postgres.query<{ used: string; reserved: string }>(
			'keypilot',
			`SELECT used::text AS used, (SELECT count(*)::text FROM llm_quota_reservations WHERE subject_id = 'locked') AS reserved
			   FROM llm_quotas WHERE subject_id = 'locked'`,
		);
		expect(locked).toEqual({ used: '0', reserved: '0' });
	});
});
