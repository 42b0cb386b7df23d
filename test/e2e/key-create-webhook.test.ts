import { createHash } from 'node:crypto';

import { workflowCredentials } from './harness/credentials';
import { readWorkflow, startEnvironment, type Environment } from './harness/environment';
import { waitForWebhook, type RunningN8n } from './harness/n8n';
import { stage } from './harness/timing';
import { OPENAI_ADMIN_KEY, openAiStandIn } from './standins/openai';
import { OPENROUTER_MANAGEMENT_KEY, openRouterStandIn } from './standins/openrouter';
import { VOLCENGINE_AK, VOLCENGINE_SK, volcengineStandIn } from './standins/volcengine';

jest.setTimeout(30 * 60 * 1000);

const standIns = {
	openai: openAiStandIn(),
	openrouter: openRouterStandIn(),
	volcengine: volcengineStandIn(),
};
const workflow = readWorkflow('key-create-webhook.json');
let environment: Environment;
let n8n: RunningN8n;
let adminToken: string;

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

async function createKey(
	body: object,
	token = adminToken,
	credential: Record<string, string> = { authorization: `Bearer ${token}` },
) {
	const response = await fetch(`${n8n.url}/webhook/keys`, {
		method: 'POST',
		headers: { ...credential, 'content-type': 'application/json' },
		body: JSON.stringify(body),
	});
	return {
		status: response.status,
		body: (await response.json()) as Record<string, unknown> & {
			error?: { code: string; field?: string; message?: string };
		},
	};
}

const storedKeys = () =>
	environment.postgres.query<Record<string, string | null>>(
		'keypilot',
		'SELECT provider, key_id, redacted_value, key_hash, owner_type FROM llm_api_keys ORDER BY provider',
	);

beforeAll(async () => {
	for (const standIn of Object.values(standIns)) await standIn.start();
	environment = await startEnvironment({
		credentials: (postgres) =>
			workflowCredentials({
				postgres,
				database: 'keypilot',
				openAi: { apiKey: OPENAI_ADMIN_KEY, baseUrl: `${standIns.openai.url}/v1` },
				openRouter: {
					apiKey: OPENROUTER_MANAGEMENT_KEY,
					baseUrl: `${standIns.openrouter.url}/api/v1`,
				},
				volcengine: {
					accessKeyId: VOLCENGINE_AK,
					secretAccessKey: VOLCENGINE_SK,
					endpoint: standIns.volcengine.url,
				},
			}),
		workflows: [workflow],
	});
	[{ token: adminToken }] = await environment.postgres.query<{ token: string }>(
		'keypilot',
		`SELECT token FROM keypilot_mint_token('admin', '{keys:create}')`,
	);
	await environment.n8n.publish(workflow.id);
	n8n = await stage('n8n start', () =>
		environment.n8n.start({ log: !!process.env.KEYPILOT_E2E_LOG }),
	);
	await stage('webhook registered', () => waitForWebhook(`${n8n.url}/webhook/keys`));
});

afterAll(async () => {
	await n8n?.stop();
	for (const standIn of Object.values(standIns)) await standIn.stop();
	await environment?.stop();
});

describe('workflows/key-create-webhook.json in a real n8n', () => {
	it('answers 401 without a token, 403 for a token without keys:create, and creates nothing', async () => {
		const before = Object.values(standIns).reduce((sum, s) => sum + s.requests.length, 0);
		const ask = { provider: 'openai', project_id: 'proj_a', name: 'x' };
		expect((await createKey(ask, 'kp_wrong')).status).toBe(401);
		// The admin token itself, but not as "Bearer <token>" or x-api-key: no token at all.
		for (const credential of [
			{ authorization: adminToken } as Record<string, string>,
			{ authorization: `Token ${adminToken}` },
			{ 'x-token': adminToken },
		]) {
			const refused = await createKey(ask, adminToken, credential);
			expect({ credential: Object.keys(credential), status: refused.status }).toEqual({
				credential: Object.keys(credential),
				status: 401,
			});
		}
		const [{ token: gatewayOnly }] = await environment.postgres.query<{ token: string }>(
			'keypilot',
			`SELECT token FROM keypilot_mint_token('not-admin', '{gateway}')`,
		);
		const forbidden = await createKey(ask, gatewayOnly);
		expect(forbidden).toEqual({
			status: 403,
			body: {
				error: { code: 'forbidden', message: 'This token does not have the keys:create scope' },
			},
		});
		expect((await createKey(ask, gatewayOnly, { 'x-api-key': gatewayOnly })).status).toBe(403);
		expect(Object.values(standIns).reduce((sum, s) => sum + s.requests.length, 0)).toBe(before);
		expect(await storedKeys()).toEqual([]);
	});

	it('creates an OpenAI service-account key, an OpenRouter key with a quota and a Volcengine access key inside a project; secrets returned once, stored only hashed', async () => {
		const openai = await createKey({
			provider: 'openai',
			project_id: 'proj_alpha',
			name: 'ci-bot',
		});
		const openrouter = await createKey({
			provider: 'openrouter',
			name: 'customer-7',
			credit_limit: 12.5,
			limit_reset: 'monthly',
			quota: { type: 'usd', limit: '10.25', period: 'monthly' },
		});
		const volcengine = await createKey({
			provider: 'volcengine',
			name: 'ops',
			user_name: 'ops-bot',
			parent: { type: 'project', id: 'ops-budget' },
		});
		for (const created of [openai, openrouter, volcengine]) expect(created.status).toBe(201);
		expect(openai.body).toMatchObject({
			provider: 'openai',
			secret: expect.stringMatching(/^sk-svcacct-/),
		});
		expect(openrouter.body).toMatchObject({
			provider: 'openrouter',
			secret: expect.stringMatching(/^sk-or-v1-/),
			quota: { limit: '10.25', type: 'usd', period: 'monthly' },
		});
		expect(volcengine.body).toMatchObject({
			provider: 'volcengine',
			secret: expect.stringMatching(/^TmV3/),
			quota: null,
			parent: { type: 'project', id: 'ops-budget' },
		});
		expect(openai.body).toMatchObject({ quota: null, parent: null });
		// The Volcengine key's requests also spend its project's layer.
		expect(
			await environment.postgres.query(
				'keypilot',
				`SELECT subject_type, subject_id, parent_type, parent_id FROM llm_quota_parents WHERE parent_id = 'ops-budget'`,
			),
		).toEqual([
			{
				subject_type: 'key_hash',
				subject_id: sha256(String(volcengine.body.secret)),
				parent_type: 'project',
				parent_id: 'ops-budget',
			},
		]);

		const stored = await storedKeys();
		expect(stored.map((row) => [row.provider, row.key_hash])).toEqual([
			['openai', sha256(String(openai.body.secret))],
			['openrouter', sha256(String(openrouter.body.secret))],
			['volcengine', sha256(String(volcengine.body.secret))],
		]);
		const everything = JSON.stringify(
			await environment.postgres.query('keypilot', 'SELECT * FROM llm_api_keys'),
		);
		for (const created of [openai, openrouter, volcengine])
			expect(everything).not.toContain(String(created.body.secret));
		const [quota] = await environment.postgres.query<{ subject_id: string; limit_amount: string }>(
			'keypilot',
			`SELECT subject_id, limit_amount::text FROM llm_quotas WHERE subject_type = 'key_hash'`,
		);
		expect(quota).toEqual({
			subject_id: sha256(String(openrouter.body.secret)),
			limit_amount: '10.25',
		});
		const body = JSON.parse(standIns.openrouter.requests.at(-1)!.body) as Record<string, unknown>;
		expect(body).toMatchObject({ name: 'customer-7', limit: 12.5, limit_reset: 'monthly' });
	});

	it('mints a gateway token, stored only as its hash, with its quota, inside the team asked for', async () => {
		const minted = await createKey({
			provider: 'gateway',
			name: 'team-c',
			models: ['gpt-4o-mini'],
			parent: { type: 'team', id: 'platform' },
			quota: { type: 'tokens', limit: 5000, period: 'daily' },
		});
		expect(minted.status).toBe(201);
		const token = String(minted.body.secret);
		expect(token).toMatch(/^kp_[0-9a-f]{64}$/);
		const [row] = await environment.postgres.query<Record<string, unknown>>(
			'keypilot',
			'SELECT name, allowed_models FROM llm_gateway_tokens WHERE token_hash = $1',
			[sha256(token)],
		);
		expect(row).toEqual({ name: 'team-c', allowed_models: ['gpt-4o-mini'] });
		const [quota] = await environment.postgres.query<{ limit_amount: string; period: string }>(
			'keypilot',
			`SELECT limit_amount::text, period FROM llm_quotas WHERE subject_id = $1`,
			[sha256(token)],
		);
		expect(quota).toEqual({ limit_amount: '5000', period: 'daily' });
		// Its requests also spend the team's layers.
		expect(
			await environment.postgres.query(
				'keypilot',
				`SELECT parent_type, parent_id FROM llm_quota_parents WHERE subject_id = $1`,
				[sha256(token)],
			),
		).toEqual([{ parent_type: 'team', parent_id: 'platform' }]);
	});

	it('answers 400 for an unknown provider and 502 with the reason when creation fails', async () => {
		const unknown = await createKey({ provider: 'acme', name: 'x' });
		expect(unknown).toEqual({
			status: 400,
			body: {
				error: {
					code: 'invalid_request',
					field: 'provider',
					message: '"provider" must be one of openai, openrouter, volcengine, gateway, got "acme"',
				},
			},
		});
		const failed = await createKey({
			provider: 'volcengine',
			name: 'x',
			user_name: 'no-such-user',
		});
		expect(failed.status).toBe(502);
		expect(failed.body.error).toMatchObject({
			code: 'creation_failed',
			message: expect.stringContaining('User no-such-user does not exist'),
		});
	});

	it('checks the whole request before creating anything: any bad field gets 400 naming it', async () => {
		const before = Object.values(standIns).reduce((sum, s) => sum + s.requests.length, 0);
		const keysBefore = (await storedKeys()).length;
		const bad: Array<[object, string]> = [
			...[-5, 'NaN', 'abc', null, 'Infinity', '1,5', '1e309'].map((limit): [object, string] => [
				{ name: 'q', quota: { type: 'usd', limit } },
				'quota.limit',
			]),
			[{ name: 'q', quota: { type: 'tokens', limit: '2.5' } }, 'quota.limit'],
			[{ name: 'q', quota: { type: 'euros', limit: '5' } }, 'quota.type'],
			[{ name: 'q', quota: { type: 'usd', limit: '5', period: 'hourly' } }, 'quota.period'],
			[
				{ name: 'q', quota: { type: 'usd', limit: '5', warning_percent: 500 } },
				'quota.warning_percent',
			],
			[{ name: 'q', quota: 'lots' }, 'quota'],
			[{ name: 'bad\u0000name' }, 'name'],
			[{ name: 'x'.repeat(101) }, 'name'],
			[{ name: '' }, 'name'],
			[{ name: ['array'] }, 'name'],
			[{ name: 'q', credit_limit: -5 }, 'credit_limit'],
			[{ name: 'q', credit_limit: 'abc' }, 'credit_limit'],
			[{ name: 'q', limit_reset: 'hourly' }, 'limit_reset'],
			[{ name: 'q', project_id: 'proj_a' }, 'project_id'],
			[{ provider: 'openai', name: 'q', credit_limit: undefined }, 'project_id'],
			[
				{ provider: 'gateway', name: 'q', credit_limit: undefined, routes: '/v1/chat/completions' },
				'routes',
			],
		];
		for (const [body, field] of bad) {
			const answer = await createKey({ provider: 'openrouter', credit_limit: 5, ...body });
			expect({ body, status: answer.status, field: answer.body.error?.field }).toEqual({
				body,
				status: 400,
				field,
			});
			// The message names the field and what came, never a stack trace or n8n's own wording.
			expect(answer.body.error?.message).toMatch(new RegExp(`^"${field.replace('.', '\\.')}" `));
			expect(JSON.stringify(answer.body)).not.toContain('stacktrace');
		}
		expect(Object.values(standIns).reduce((sum, s) => sum + s.requests.length, 0)).toBe(before);
		expect(await storedKeys()).toHaveLength(keysBefore);
	});

	it('revokes a key at the provider when it cannot be recorded, and says so', async () => {
		await environment.postgres.query(
			'keypilot',
			`CREATE FUNCTION refuse_key() RETURNS trigger LANGUAGE plpgsql AS $$
			 BEGIN IF NEW.name = 'cannot-record' THEN RAISE EXCEPTION 'disk full'; END IF; RETURN NEW; END $$;
			 CREATE TRIGGER refuse_key BEFORE INSERT ON llm_api_keys FOR EACH ROW EXECUTE FUNCTION refuse_key();`,
		);
		try {
			const answer = await createKey({ provider: 'openrouter', name: 'cannot-record' });
			expect(answer.status).toBe(500);
			expect(answer.body).toEqual({
				error: {
					code: 'recording_failed',
					message:
						'The key was created but could not be recorded with its quota, so it was revoked at the provider',
				},
			});
			const created = standIns.openrouter.requests.filter((r) => r.method === 'POST').at(-1)!;
			expect(JSON.parse(created.body)).toMatchObject({ name: 'cannot-record' });
			const deleted = standIns.openrouter.requests.filter((r) => r.method === 'DELETE');
			expect(deleted.map((r) => r.path)).toEqual([
				expect.stringMatching(/^\/api\/v1\/keys\/created\d+$/),
			]);
		} finally {
			await environment.postgres.query(
				'keypilot',
				'DROP TRIGGER refuse_key ON llm_api_keys; DROP FUNCTION refuse_key()',
			);
		}
	});

	it('answers 503 in its own words and creates nothing when the ledger cannot be used', async () => {
		const before = Object.values(standIns).reduce((sum, s) => sum + s.requests.length, 0);
		await environment.postgres.query(
			'keypilot',
			'ALTER TABLE llm_gateway_tokens RENAME TO llm_gateway_tokens_away',
		);
		try {
			const answer = await createKey({ provider: 'openrouter', name: 'ledger-away' });
			expect(answer).toEqual({
				status: 503,
				body: {
					error: {
						code: 'ledger_unavailable',
						message:
							'The key service cannot reach its ledger, so nothing was created. Retry later.',
					},
				},
			});
		} finally {
			await environment.postgres.query(
				'keypilot',
				'ALTER TABLE llm_gateway_tokens_away RENAME TO llm_gateway_tokens',
			);
		}
		expect(Object.values(standIns).reduce((sum, s) => sum + s.requests.length, 0)).toBe(before);
	});

	it('revokes a key whose quota cannot be set: no key lives without the quota asked for', async () => {
		await environment.postgres.query(
			'keypilot',
			`CREATE FUNCTION refuse_quota() RETURNS trigger LANGUAGE plpgsql AS $$
			 BEGIN RAISE EXCEPTION 'disk full'; END $$;
			 CREATE TRIGGER refuse_quota BEFORE INSERT OR UPDATE ON llm_quotas FOR EACH ROW EXECUTE FUNCTION refuse_quota();`,
		);
		try {
			const deletesBefore = standIns.openrouter.requests.filter(
				(r) => r.method === 'DELETE',
			).length;
			const answer = await createKey({
				provider: 'openrouter',
				name: 'quota-cannot-be-set',
				quota: { type: 'usd', limit: '5', period: 'monthly' },
			});
			expect(answer.status).toBe(500);
			expect(answer.body).toEqual({
				error: {
					code: 'recording_failed',
					message:
						'The key was created but could not be recorded with its quota, so it was revoked at the provider',
				},
			});
			expect(JSON.stringify(answer.body)).not.toContain('sk-or-v1');
			const deletes = standIns.openrouter.requests.filter((r) => r.method === 'DELETE');
			expect(deletes).toHaveLength(deletesBefore + 1);

			const token = await createKey({
				provider: 'gateway',
				name: 'token-quota-cannot-be-set',
				quota: { type: 'tokens', limit: '1000' },
			});
			expect(token.status).toBe(500);
			expect(token.body.error?.code).toBe('recording_failed');
			expect(JSON.stringify(token.body)).not.toContain('kp_');
		} finally {
			await environment.postgres.query(
				'keypilot',
				'DROP TRIGGER refuse_quota ON llm_quotas; DROP FUNCTION refuse_quota()',
			);
		}
	});
});
