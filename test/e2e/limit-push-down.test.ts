/**
 * workflows/limit-push-down.json in a real n8n against a stateful OpenRouter that enforces key
 * limits: a quota mirrored to a key becomes the key's limit, so calls that bypass the gateway are
 * refused by OpenRouter itself once the quota is spent; a limit changed by hand is told once and
 * set again (policy restore) or left (policy report); a quota changed in the ledger is pushed.
 */
import { workflowCredentials } from './harness/credentials';
import { readWorkflow, startEnvironment, type Environment } from './harness/environment';
import { stage } from './harness/timing';
import { OPENROUTER_MANAGEMENT_KEY } from './standins/openrouter';
import { CALL_COST, OpenRouterKeyStore, type StoredKey } from './standins/openrouterKeys';
import { json, StandIn } from './standins/server';

jest.setTimeout(30 * 60 * 1000);

const openRouter = new OpenRouterKeyStore();
const receiver = new StandIn((_req, res) => json(res, 200, { ok: true }));
const workflow = readWorkflow('limit-push-down.json') as {
	id: string;
	nodes: Array<{ name: string; parameters: Record<string, unknown> }>;
};
const key = openRouter.add({ name: 'team-a' });
let environment: Environment;
const query = (sql: string, params: unknown[] = []) =>
	environment.postgres.query('keypilot', sql, params);

beforeAll(async () => {
	await openRouter.standIn.start();
	await receiver.start();
	const settings = workflow.nodes.find((node) => node.name === 'Settings')!;
	(
		settings.parameters.assignments as { assignments: Array<{ name: string; value: unknown }> }
	).assignments.find((a) => a.name === 'webhook_url')!.value = `${receiver.url}/notices`;
	environment = await startEnvironment({
		credentials: (postgres) =>
			workflowCredentials({
				postgres,
				database: 'keypilot',
				openRouter: {
					apiKey: OPENROUTER_MANAGEMENT_KEY,
					baseUrl: `${openRouter.standIn.url}/api/v1`,
				},
				// No OpenAI project or Anthropic workspace is mirrored here; n8n checks every credential
				// a workflow names.
				openAi: { apiKey: 'sk-admin-unused', baseUrl: `${receiver.url}/unused/v1` },
				anthropic: { apiKey: 'sk-ant-admin-unused', baseUrl: `${receiver.url}/unused` },
			}),
		workflows: [workflow],
	});
	// A monthly budget of 1 USD on the key, mirrored to OpenRouter (as Mirror Quota records it).
	await query(
		`INSERT INTO llm_quotas (subject_type, subject_id, quota_type, limit_amount, period)
		 VALUES ('key_id', $1, 'usd', 1, 'monthly')`,
		[key.hash],
	);
	await query(
		`INSERT INTO llm_limit_mirrors (target, target_id, subject_type, subject_id)
		 VALUES ('openrouter_key', $1, 'key_id', $1)`,
		[key.hash],
	);
});

afterAll(async () => {
	await openRouter.standIn.stop();
	await receiver.stop();
	await environment?.stop();
});

async function runToSuccess(label: string) {
	const result = await stage(`n8n execute (${label})`, () => environment.n8n.execute(workflow.id));
	if (result.code !== 0) {
		throw new Error(
			`${label}: n8n exited with ${result.code}\n${result.stdout.slice(-3000)}\n${result.stderr.slice(-3000)}`,
		);
	}
}

/** A chat call straight to OpenRouter with the key, as traffic bypassing the gateway would. */
const call = async (stored: StoredKey) =>
	(
		await fetch(`${openRouter.standIn.url}/api/v1/chat/completions`, {
			method: 'POST',
			headers: { authorization: `Bearer ${stored.secret}`, 'content-type': 'application/json' },
			body: JSON.stringify({
				model: 'openai/gpt-4o-mini',
				messages: [{ role: 'user', content: 'hi' }],
			}),
		})
	).status;
const callsUntilRefused = async (stored: StoredKey) => {
	const statuses: number[] = [];
	while (statuses.at(-1) !== 402 && statuses.length < 20) statuses.push(await call(stored));
	return statuses;
};
const events = () =>
	receiver.requests
		.filter((req) => req.path === '/notices')
		.map((req) => (JSON.parse(req.body) as { event: string }).event);
const patchByHand = (limit: number, reset: string | null) =>
	fetch(`${openRouter.standIn.url}/api/v1/keys/${key.hash}`, {
		method: 'PATCH',
		headers: {
			authorization: `Bearer ${OPENROUTER_MANAGEMENT_KEY}`,
			'content-type': 'application/json',
		},
		body: JSON.stringify({ limit, limit_reset: reset }),
	});

describe('workflows/limit-push-down.json in a real n8n', () => {
	it('makes OpenRouter enforce the quota, and tells and undoes changes made by hand', async () => {
		expect(key.limit).toBeNull();
		await runToSuccess('push');
		expect(key).toMatchObject({ limit: 1, limit_reset: 'monthly' });
		expect(events()).toEqual(['limit_pushed']);
		// OpenRouter itself now refuses the key once 1 USD is spent: 0.4, 0.8, 1.2, refused.
		expect(await callsUntilRefused(key)).toEqual([200, 200, 200, 402]);
		expect(key.usage).toBeCloseTo(3 * CALL_COST, 6);

		// Nothing changed: a run reads and leaves it.
		await runToSuccess('in sync');
		expect(events()).toEqual(['limit_pushed']);

		// Someone raises the limit to 50 at OpenRouter: told once, and set back to the quota.
		expect((await patchByHand(50, null)).status).toBe(200);
		expect(await call(key)).toBe(200);
		await runToSuccess('restore');
		expect(events()).toEqual(['limit_pushed', 'limit_changed_by_hand', 'limit_pushed']);
		expect(key).toMatchObject({ limit: 1, limit_reset: 'monthly' });
		expect(await call(key)).toBe(402);
		const changed = receiver.requests.filter((req) => req.path === '/notices')[1];
		expect(JSON.parse(changed.body)).toMatchObject({
			observed_limit: '50',
			desired_limit: '1',
			set_again: true,
		});

		// Under the report policy the change is told once and left alone.
		await query(`UPDATE llm_limit_mirrors SET policy = 'report'`);
		expect((await patchByHand(30, 'daily')).status).toBe(200);
		await runToSuccess('report');
		await runToSuccess('report again');
		expect(events().slice(3)).toEqual(['limit_changed_by_hand']);
		expect(key).toMatchObject({ limit: 30, limit_reset: 'daily' });

		// The quota is raised in the ledger: that is pushed, whatever the policy.
		await query(`UPDATE llm_limit_mirrors SET policy = 'restore'`);
		await query(`UPDATE llm_quotas SET limit_amount = 2.4 WHERE subject_id = $1`, [key.hash]);
		await runToSuccess('raised quota');
		expect(key).toMatchObject({ limit: 2.4, limit_reset: 'monthly' });
		expect(
			await query(
				`SELECT trim_scale(pushed_limit)::text AS pushed, pushed_reset FROM llm_limit_mirrors`,
			),
		).toEqual([{ pushed: '2.4', pushed_reset: 'monthly' }]);
	});
});
