import { workflowCredentials } from './harness/credentials';
import { startEnvironment, type Environment } from './harness/environment';
import { waitForWebhook, type RunningN8n } from './harness/n8n';
import { stage } from './harness/timing';

jest.setTimeout(30 * 60 * 1000);

const POSTGRES = { postgres: { id: 'kpPostgres000001', name: 'KeyPilot Postgres' } };

/** Webhook → Quota Check (Reserve) → Respond 200 on Allowed, 429 on Exhausted, with the quota headers. */
const workflow = {
	id: 'kpTestQuotaHook',
	name: 'Quota gate',
	active: false,
	settings: { executionOrder: 'v1' },
	nodes: [
		{
			id: 'q1',
			name: 'Webhook',
			type: 'n8n-nodes-base.webhook',
			typeVersion: 2,
			position: [0, 0],
			webhookId: '7d5f9a8e-3c1b-4f2a-9e6d-0a1b2c3d4e5f',
			parameters: {
				httpMethod: 'POST',
				path: 'quota-gate',
				responseMode: 'responseNode',
				options: {},
			},
		},
		{
			id: 'q2',
			name: 'Quota Check',
			type: 'n8n-nodes-keypilot-ledger.quotaCheck',
			typeVersion: 1,
			position: [220, 0],
			credentials: POSTGRES,
			parameters: {
				operation: 'reserve',
				subjectType: 'key_id',
				subject: '={{ $json.body.key_id }}',
				amount: '={{ $json.body.max_tokens }}',
				expiresIn: 300,
			},
		},
		...['Allowed', 'Exhausted'].map((name, index) => ({
			id: `q${3 + index}`,
			name: `Respond ${name}`,
			type: 'n8n-nodes-base.respondToWebhook',
			typeVersion: 1.1,
			position: [460, index * 200],
			parameters: {
				respondWith: 'json',
				responseBody:
					index === 0
						? '={{ { allowed: true, reservation_id: $json.quota.reservation_id } }}'
						: '={{ { error: { code: $json.quota.error_code, message: $json.quota.message } } }}',
				options: {
					responseCode: index === 0 ? 200 : 429,
					responseHeaders: {
						entries: [
							{ name: 'X-Quota-Used', value: "={{ $json.quota.headers['X-Quota-Used'] }}" },
							{ name: 'X-Quota-Limit', value: "={{ $json.quota.headers['X-Quota-Limit'] }}" },
						],
					},
				},
			},
		})),
	],
	connections: {
		Webhook: { main: [[{ node: 'Quota Check', type: 'main', index: 0 }]] },
		'Quota Check': {
			main: [
				[{ node: 'Respond Allowed', type: 'main', index: 0 }],
				[{ node: 'Respond Exhausted', type: 'main', index: 0 }],
			],
		},
	},
};

let environment: Environment;
let n8n: RunningN8n;

beforeAll(async () => {
	environment = await startEnvironment({
		credentials: (postgres) => workflowCredentials({ postgres, database: 'keypilot' }),
		workflows: [workflow],
	});
	await environment.n8n.publish(workflow.id);
	n8n = await stage('n8n start', () =>
		environment.n8n.start({ log: !!process.env.KEYPILOT_E2E_LOG }),
	);
	await stage('webhook registered', () => waitForWebhook(`${n8n.url}/webhook/quota-gate`));
});

afterAll(async () => {
	await n8n?.stop();
	await environment?.stop();
});

async function call(keyId: string, maxTokens: number) {
	const response = await fetch(`${n8n.url}/webhook/quota-gate`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({ key_id: keyId, max_tokens: maxTokens }),
	});
	return {
		status: response.status,
		used: response.headers.get('x-quota-used'),
		limit: response.headers.get('x-quota-limit'),
		body: (await response.json()) as { allowed?: boolean; error?: { code: string } },
	};
}

async function setQuota(keyId: string, limit: number) {
	await environment.postgres.query(
		'keypilot',
		`INSERT INTO llm_quotas (subject_type, subject_id, quota_type, limit_amount) VALUES ('key_id', $1, 'tokens', $2)`,
		[keyId, limit],
	);
}

describe('Quota Check behind a Webhook in a real n8n', () => {
	it('answers 200 on the Allowed output and 429 API_KEY_QUOTA_EXHAUSTED on Exhausted, with the headers', async () => {
		await setQuota('gate-key', 100);
		const results = [];
		for (let i = 0; i < 3; i++) results.push(await call('gate-key', 40));
		expect(results.map((r) => [r.status, r.used, r.limit])).toEqual([
			[200, '40', '100'],
			[200, '80', '100'],
			[429, '80', '100'],
		]);
		expect(results[0].body.allowed).toBe(true);
		expect(results[2].body.error?.code).toBe('API_KEY_QUOTA_EXHAUSTED');
	});

	it('lets exactly as many concurrent requests through as the quota holds', async () => {
		await setQuota('burst-key', 100);
		const results = await Promise.all(Array.from({ length: 30 }, () => call('burst-key', 10)));
		expect(results.filter((r) => r.status === 200)).toHaveLength(10);
		expect(results.filter((r) => r.status === 429)).toHaveLength(20);
		const [row] = await environment.postgres.query<{ reserved: string }>(
			'keypilot',
			`SELECT reserved::text FROM llm_quotas WHERE subject_id = 'burst-key'`,
		);
		expect(row.reserved).toBe('100');
	});
});
