import { workflowCredentials } from './harness/credentials';
import { readWorkflow, startEnvironment, type Environment } from './harness/environment';
import { stage } from './harness/timing';
import { json, StandIn } from './standins/server';

jest.setTimeout(30 * 60 * 1000);

const receiver = new StandIn((_req, res) => json(res, 200, { ok: true }));
const workflow = readWorkflow('quota-alert.json') as {
	id: string;
	nodes: Array<{ name: string; parameters: Record<string, unknown> }>;
};
const sweep = readWorkflow('reservation-sweep.json');
let environment: Environment;

beforeAll(async () => {
	await receiver.start();
	// As a user would: point the Settings node at their own webhook.
	const settings = workflow.nodes.find((node) => node.name === 'Settings')!;
	const assignments = (
		settings.parameters.assignments as { assignments: Array<{ name: string; value: string }> }
	).assignments;
	assignments.find((assignment) => assignment.name === 'webhook_url')!.value =
		`${receiver.url}/alerts`;
	environment = await startEnvironment({
		credentials: (postgres) => workflowCredentials({ postgres, database: 'keypilot' }),
		workflows: [workflow, sweep],
	});
});

afterAll(async () => {
	await receiver.stop();
	await environment?.stop();
});

describe('workflows/quota-alert.json in a real n8n', () => {
	it('alerts once per crossing: a warning, an exhausted quota, nothing for one below its threshold', async () => {
		await environment.postgres.query(
			'keypilot',
			`INSERT INTO llm_quotas (subject_type, subject_id, quota_type, limit_amount, warning_percent, used, reserved) VALUES
			   ('key_id', 'near', 'tokens', 1000, 80, 800, 50),
			   ('token_hash', 'spent', 'usd', 10.5, NULL, 10.5, 0),
			   ('key_id', 'calm', 'tokens', 1000, 80, 500, 0)`,
		);
		const first = await stage('n8n execute (alerts)', () => environment.n8n.execute(workflow.id));
		expect({ code: first.code, stderr: first.stderr.slice(-2000) }).toEqual({
			code: 0,
			stderr: expect.any(String),
		});
		const alerts = receiver.requests
			.map((request) => JSON.parse(request.body) as Record<string, string>)
			.sort((a, b) => (a.subject_id < b.subject_id ? -1 : 1));
		expect(alerts).toEqual([
			expect.objectContaining({
				kind: 'warning',
				subject_id: 'near',
				quota_used: '850',
				quota_limit: '1000',
				text: 'Quota warning for key_id near: 850 of 1000 tokens used',
			}),
			expect.objectContaining({
				kind: 'exhausted',
				subject_id: 'spent',
				quota_used: '10.5',
				quota_limit: '10.5',
				text: 'Quota exhausted for token_hash spent: 10.5 of 10.5 USD used',
			}),
		]);

		const second = await environment.n8n.execute(workflow.id);
		expect(second.code).toBe(0);
		expect(receiver.requests).toHaveLength(2);
	});

	it('reservation-sweep.json charges a reservation nobody settled, with no request to do it', async () => {
		await environment.postgres.query(
			'keypilot',
			`INSERT INTO llm_quotas (subject_type, subject_id, quota_type, limit_amount, used, reserved, period_start)
			 VALUES ('token_hash', 'hung', 'tokens', 1000, 100, 250, now() - interval '1 hour');
			 INSERT INTO llm_quota_reservations (reservation_id, quota_id, subject_type, subject_id, origin_type, origin_id, amount, created_at, expires_at)
			 SELECT r.id::uuid, q.quota_id, 'token_hash', 'hung', 'token_hash', 'hung', r.amount, r.created_at, r.expires_at
			   FROM llm_quotas q, (VALUES ('9f1c2b3a-0000-4000-8000-000000000001', 200, now() - interval '5 minutes', now() - interval '1 minute'),
			                              ('9f1c2b3a-0000-4000-8000-000000000002', 50, now(), now() + interval '5 minutes')) r (id, amount, created_at, expires_at)
			  WHERE q.subject_id = 'hung'`,
		);
		const run = await stage('n8n execute (sweep)', () => environment.n8n.execute(sweep.id));
		expect({ code: run.code, stderr: run.stderr.slice(-2000) }).toEqual({
			code: 0,
			stderr: expect.any(String),
		});
		expect(
			await environment.postgres.query(
				'keypilot',
				`SELECT used::text, reserved::text FROM llm_quotas WHERE subject_id = 'hung'`,
			),
		).toEqual([{ used: '300', reserved: '50' }]);
		expect(
			await environment.postgres.query(
				'keypilot',
				`SELECT key_hash, total_tokens::text, usage_complete, error_message FROM llm_usage_log
				  WHERE request_id = 'reservation:9f1c2b3a-0000-4000-8000-000000000001'`,
			),
		).toEqual([
			{
				key_hash: 'hung',
				total_tokens: '200',
				usage_complete: false,
				error_message: 'Reservation expired before it was settled: charged in full',
			},
		]);
	});
});
