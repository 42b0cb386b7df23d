/**
 * workflows/key-rotation.json in a real n8n against a stateful OpenRouter: a rotation survives a
 * crash between create and record (the lost key is swept and revoked, then made again) and a
 * crash between the grace period and revoke (the re-run finds the old key gone and finishes), and
 * at every point there is one active key, or two only during the grace period. Gateway tokens
 * rotate in the ledger alone.
 */
import { createHash } from 'node:crypto';

import { killExecution } from './harness/crash';
import { workflowCredentials } from './harness/credentials';
import { readWorkflow, startEnvironment, type Environment } from './harness/environment';
import { waitForWebhook } from './harness/n8n';
import { stage } from './harness/timing';
import { OPENAI_ADMIN_KEY } from './standins/openai';
import { OpenAiServiceAccounts } from './standins/openaiServiceAccounts';
import { OPENROUTER_MANAGEMENT_KEY } from './standins/openrouter';
import { OpenRouterKeyStore } from './standins/openrouterKeys';
import { json, StandIn } from './standins/server';

jest.setTimeout(30 * 60 * 1000);

const openRouter = new OpenRouterKeyStore();
const openAi = new OpenAiServiceAccounts();
const receiver = new StandIn((_req, res) => json(res, 200, { ok: true }));
const workflow = readWorkflow('key-rotation.json') as {
	id: string;
	nodes: Array<{ name: string; parameters: Record<string, unknown> }>;
};
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
let environment: Environment;
const query = <T extends Record<string, unknown> = Record<string, unknown>>(
	sql: string,
	params: unknown[] = [],
) => environment.postgres.query<T>('keypilot', sql, params);

const old = openRouter.add({ name: 'team-a', limit: 25.5, limit_reset: 'monthly' });

beforeAll(async () => {
	await openRouter.standIn.start();
	await openAi.standIn.start();
	await receiver.start();
	const settings = workflow.nodes.find((node) => node.name === 'Settings')!;
	const assignments = (
		settings.parameters.assignments as { assignments: Array<{ name: string; value: unknown }> }
	).assignments;
	assignments.find((a) => a.name === 'delivery_url')!.value = `${receiver.url}/deliver`;
	assignments.find((a) => a.name === 'webhook_url')!.value = `${receiver.url}/notices`;
	environment = await startEnvironment({
		credentials: (postgres) =>
			workflowCredentials({
				postgres,
				database: 'keypilot',
				openRouter: {
					apiKey: OPENROUTER_MANAGEMENT_KEY,
					baseUrl: `${openRouter.standIn.url}/api/v1`,
				},
				openAi: { apiKey: OPENAI_ADMIN_KEY, baseUrl: `${openAi.standIn.url}/v1` },
				// No Volcengine key is rotated here; n8n checks every credential a workflow names.
				volcengine: {
					accessKeyId: 'AKLTunused',
					secretAccessKey: 'unused',
					endpoint: `${receiver.url}/unused`,
				},
			}),
		workflows: [workflow],
	});
	// The key as the key webhook recorded it 100 days ago, with a budget of 10 USD (4 spent).
	await query(
		`INSERT INTO llm_api_keys (provider, key_id, name, key_hash, owner_type, created_at, metadata)
		 VALUES ('openrouter', $1, 'team-a', $2, 'management_key', now() - interval '100 days',
		         '{"limit": 25.5, "limit_reset": "monthly", "include_byok_in_limit": false}')`,
		[old.hash, sha256(old.secret)],
	);
	await query(
		`INSERT INTO llm_quotas (subject_type, subject_id, quota_type, limit_amount, period, used)
		 VALUES ('key_hash', $1, 'usd', 10, 'monthly', 4)`,
		[sha256(old.secret)],
	);
});

afterAll(async () => {
	await openRouter.standIn.stop();
	await openAi.standIn.stop();
	await receiver.stop();
	await environment?.stop();
});

const runWorkflow = (label: string) =>
	stage(`n8n execute (${label})`, () => environment.n8n.execute(workflow.id));
/** Runs the workflow and expects it to succeed, showing n8n's output when it does not. */
const runToSuccess = async (label: string) => {
	const result = await runWorkflow(label);
	if (result.code !== 0) {
		throw new Error(
			`${label}: n8n exited with ${result.code}\n${result.stdout.slice(-3000)}\n${result.stderr.slice(-3000)}`,
		);
	}
};
/** Time passes: leases of steps a dead run took have run out. */
const leasesRunOut = () =>
	query(`UPDATE llm_key_rotations SET leased_until = now() - interval '1 second'`);
const rotationState = async () =>
	(
		await query<{ status: string; sweep_needed: boolean }>(
			`SELECT status, sweep_needed FROM llm_key_rotations WHERE provider = 'openrouter'`,
		)
	)[0];
/** Never zero keys; two only while the rotation is in its grace period. */
const expectKeysAtProvider = async () => {
	const state = await rotationState();
	const active = [...openRouter.keys.values()].filter((key) => !key.disabled);
	const allowed = state?.status === 'grace' ? [1, 2] : [1];
	expect({ state: state?.status, active: allowed.includes(active.length) }).toEqual({
		state: state?.status,
		active: true,
	});
};
const notices = () =>
	receiver.requests
		.filter((req) => req.path === '/notices')
		.map((req) => JSON.parse(req.body) as Record<string, string>);

describe('workflows/key-rotation.json in a real n8n', () => {
	it('survives a crash between create and record, and between grace and revoke', async () => {
		// 1. The create reaches OpenRouter; n8n dies before the answer, so nothing is recorded.
		openRouter.afterCreate = () => {
			openRouter.afterCreate = undefined;
			expect(killExecution(workflow.id)).toBeGreaterThan(0);
			return false;
		};
		const crashed = await runWorkflow('crash after create');
		if (openRouter.keys.size !== 2) {
			throw new Error(
				`The create never reached OpenRouter:\n${crashed.stdout.slice(-3000)}\n${crashed.stderr.slice(-3000)}`,
			);
		}
		expect(crashed.code).not.toBe(0);
		const [lost] = [...openRouter.keys.values()].filter((key) => key.hash !== old.hash);
		expect(lost.name).toMatch(/^team-a \(rotation [0-9a-f]{8}\)$/);
		expect(await rotationState()).toEqual({ status: 'create', sweep_needed: true });
		expect(
			await query(`SELECT count(*)::int AS n FROM llm_api_keys WHERE key_id = $1`, [lost.hash]),
		).toEqual([{ n: 0 }]);

		// 2. The next run sweeps: the lost key is revoked at OpenRouter and recorded as revoked.
		await leasesRunOut();
		await runToSuccess('sweep');
		expect(openRouter.keys.has(lost.hash)).toBe(false);
		expect(await query(`SELECT status FROM llm_api_keys WHERE key_id = $1`, [lost.hash])).toEqual([
			{ status: 'revoked' },
		]);
		await expectKeysAtProvider();

		// 3. Then it sees none left, and 4. creates, records, delivers.
		await runToSuccess('sweep again');
		expect(openRouter.keys.size).toBe(1);
		await runToSuccess('create');
		expect(openRouter.keys.size).toBe(2);
		const [fresh] = [...openRouter.keys.values()].filter((key) => key.hash !== old.hash);
		// The old key's limit carried over to OpenRouter.
		expect(fresh).toMatchObject({ limit: 25.5, limit_reset: 'monthly', name: lost.name });
		const delivered = receiver.requests
			.filter((req) => req.path === '/deliver')
			.map((req) => JSON.parse(req.body) as Record<string, string>);
		expect(delivered).toEqual([
			expect.objectContaining({
				provider: 'openrouter',
				key_id: fresh.hash,
				secret: fresh.secret,
				replaces: old.hash,
			}),
		]);
		expect(
			await query(`SELECT key_hash, status FROM llm_api_keys WHERE key_id = $1`, [fresh.hash]),
		).toEqual([{ key_hash: sha256(fresh.secret), status: 'active' }]);
		await expectKeysAtProvider();
		// Both keys spend one budget: 4 of 10 USD spent, as the old key's quota says.
		expect(
			await query(
				`SELECT target_id FROM llm_quota_aliases WHERE subject_type = 'key_hash' AND subject_id = $1`,
				[sha256(fresh.secret)],
			),
		).toEqual([{ target_id: sha256(old.secret) }]);

		// 5. The grace is over; OpenRouter deletes the old key, and n8n dies before it hears back.
		await query(`UPDATE llm_key_rotations SET grace_until = now() - interval '1 second'`);
		openRouter.afterDelete = () => {
			openRouter.afterDelete = undefined;
			expect(killExecution(workflow.id)).toBeGreaterThan(0);
			return false;
		};
		expect((await runWorkflow('crash after revoke')).code).not.toBe(0);
		expect([...openRouter.keys.keys()]).toEqual([fresh.hash]);
		expect(await rotationState()).toEqual({ status: 'grace', sweep_needed: false });

		// 6. The re-run gets 404 for the old key, counts it as revoked and ends the rotation.
		await leasesRunOut();
		await runToSuccess('revoke again');
		expect(await rotationState()).toEqual({ status: 'done', sweep_needed: false });
		expect(await query(`SELECT key_id, status FROM llm_api_keys ORDER BY status, key_id`)).toEqual([
			{ key_id: fresh.hash, status: 'active' },
			...[old.hash, lost.hash].sort().map((key_id) => ({ key_id, status: 'revoked' })),
		]);
		expect([...openRouter.keys.keys()]).toEqual([fresh.hash]);
		await expectKeysAtProvider();
		// Notices told each event, and never a secret.
		expect(notices().map((notice) => notice.event)).toEqual([
			'revoked_orphan',
			'rotated',
			'revoked_old',
		]);
		const told = JSON.stringify(
			receiver.requests.filter((req) => req.path === '/notices').map((req) => req.body),
		);
		expect(told).not.toContain(fresh.secret);
		expect(told).not.toContain(old.secret);

		// 7. Nothing is due now: a run changes nothing at the provider.
		const before = openRouter.standIn.requests.length;
		await runToSuccess('nothing due');
		expect(openRouter.standIn.requests.length).toBe(before);
	});

	it('rotates a gateway token in the ledger alone', async () => {
		await query(
			`INSERT INTO llm_gateway_tokens (token_hash, name, redacted_value, scopes, upstream, created_at)
			 VALUES ('tok_old', 'billing-app', 'kp_abc…wxyz', '{gateway}', 'openai', now() - interval '120 days')`,
		);
		await runToSuccess('gateway create');
		const [delivered] = receiver.requests
			.filter((req) => req.path === '/deliver')
			.map((req) => JSON.parse(req.body) as Record<string, string>)
			.filter((body) => body.provider === 'gateway');
		expect(delivered.secret).toMatch(/^kp_[0-9a-f]{64}$/);
		await query(`UPDATE llm_key_rotations SET grace_until = now() - interval '1 second'`);
		await runToSuccess('gateway revoke');
		expect(
			await query(`SELECT token_hash, status FROM llm_gateway_tokens ORDER BY created_at`),
		).toEqual([
			{ token_hash: 'tok_old', status: 'revoked' },
			{ token_hash: sha256(delivered.secret), status: 'active' },
		]);
	});

	it('rotates an OpenAI service-account key through a crash between create and record', async () => {
		const old = openAi.add('proj_1', 'billing-svc', Math.floor(Date.now() / 1000) - 120 * 86_400);
		await query(
			`INSERT INTO llm_api_keys (provider, key_id, name, key_hash, project_id, owner_type, owner_id, created_at)
			 VALUES ('openai', $1, 'billing-svc', $2, 'proj_1', 'service_account', $3, now() - interval '120 days')`,
			[old.keyId, sha256(old.secret), old.id],
		);
		const accounts = () => [...openAi.accounts.values()];
		openAi.afterCreate = () => {
			openAi.afterCreate = undefined;
			expect(killExecution(workflow.id)).toBeGreaterThan(0);
			return false;
		};
		expect((await runWorkflow('openai crash after create')).code).not.toBe(0);
		const [lost] = accounts().filter((account) => account.id !== old.id);
		expect(lost.name).toMatch(/^billing-svc \(rotation [0-9a-f]{8}\)$/);

		// Sweep: the lost service account (with its key) is deleted and recorded as revoked.
		await leasesRunOut();
		await runToSuccess('openai sweep');
		expect(accounts().map((account) => account.id)).toEqual([old.id]);
		expect(await query(`SELECT status FROM llm_api_keys WHERE key_id = $1`, [lost.id])).toEqual([
			{ status: 'revoked' },
		]);
		await runToSuccess('openai sweep again');
		await runToSuccess('openai create');
		const [fresh] = accounts().filter((account) => account.id !== old.id);
		expect(fresh).toMatchObject({ projectId: 'proj_1', name: lost.name });
		const delivered = receiver.requests
			.filter((req) => req.path === '/deliver')
			.map((req) => JSON.parse(req.body) as Record<string, string>)
			.filter((body) => body.provider === 'openai');
		expect(delivered).toEqual([
			expect.objectContaining({ key_id: fresh.keyId, secret: fresh.secret, replaces: old.keyId }),
		]);
		expect(
			await query(`SELECT key_hash, owner_id, status FROM llm_api_keys WHERE key_id = $1`, [
				fresh.keyId,
			]),
		).toEqual([{ key_hash: sha256(fresh.secret), owner_id: fresh.id, status: 'active' }]);

		// After the grace, the old service account (and its key) is deleted.
		await query(
			`UPDATE llm_key_rotations SET grace_until = now() - interval '1 second' WHERE provider = 'openai'`,
		);
		await runToSuccess('openai revoke');
		expect(accounts().map((account) => account.id)).toEqual([fresh.id]);
		expect(await query(`SELECT status FROM llm_key_rotations WHERE provider = 'openai'`)).toEqual([
			{ status: 'done' },
		]);
		expect(await query(`SELECT status FROM llm_api_keys WHERE key_id = $1`, [old.keyId])).toEqual([
			{ status: 'revoked' },
		]);
	});

	it('rotates one key on request through POST /webhook/keys/rotate: 401, 403, 400 for an empty or unknown request, 202 with the steps', async () => {
		await query(
			`INSERT INTO llm_gateway_tokens (token_hash, name, redacted_value, scopes, upstream, created_at)
			 VALUES ('tok_asked', 'asked-app', 'kp_abc…asked', '{gateway}', 'openai', now() - interval '2 days')`,
		);
		const [{ token: admin }] = await query<{ token: string }>(
			`SELECT token FROM keypilot_mint_token('rotation-admin', '{keys:create}')`,
		);
		const [{ token: gatewayOnly }] = await query<{ token: string }>(
			`SELECT token FROM keypilot_mint_token('not-an-admin', '{gateway}')`,
		);
		await environment.n8n.publish(workflow.id);
		const n8n = await stage('n8n start', () => environment.n8n.start());
		try {
			const url = `${n8n.url}/webhook/keys/rotate`;
			await waitForWebhook(url);
			const ask = async (body: object, token?: string) => {
				const response = await fetch(url, {
					method: 'POST',
					headers: {
						'content-type': 'application/json',
						...(token ? { authorization: `Bearer ${token}` } : {}),
					},
					body: JSON.stringify(body),
				});
				return {
					status: response.status,
					body: (await response.json()) as {
						error: { message: string };
						steps: Array<Record<string, unknown>>;
					},
				};
			};
			expect((await ask({ provider: 'gateway', key_id: 'tok_asked' })).status).toBe(401);
			expect((await ask({ provider: 'gateway', key_id: 'tok_asked' }, gatewayOnly)).status).toBe(
				403,
			);
			const empty = await ask({}, admin);
			expect(empty.status).toBe(400);
			expect(empty.body.error.message).toContain('"Rotate Now: Provider" must be one of');
			const unknown = await ask({ provider: 'acme', key_id: 'x' }, admin);
			expect(unknown.status).toBe(400);
			expect(unknown.body.error.message).toContain('got "acme"');
			const asked = await ask({ provider: 'gateway', key_id: 'tok_asked' }, admin);
			expect(asked.status).toBe(202);
			expect(asked.body.steps).toEqual([
				expect.objectContaining({ provider: 'gateway', action: 'create', old_key_id: 'tok_asked' }),
			]);
			// The run goes on after the answer: the new token is minted, delivered and confirmed.
			let rotation: Array<{ status: string; delivered: boolean }> = [];
			for (let wait = 0; wait < 60; wait++) {
				rotation = await query<{ status: string; delivered: boolean }>(
					`SELECT status, delivered_at IS NOT NULL AS delivered FROM llm_key_rotations
					  WHERE provider = 'gateway' AND old_key_id = 'tok_asked'`,
				);
				if (rotation[0]?.delivered) break;
				await new Promise((resolve) => setTimeout(resolve, 250));
			}
			expect(rotation).toEqual([{ status: 'grace', delivered: true }]);
		} finally {
			await n8n.stop();
		}
	});
});
