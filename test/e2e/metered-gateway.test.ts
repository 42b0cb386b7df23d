import { workflowCredentials } from './harness/credentials';
import { readWorkflow, startEnvironment, type Environment } from './harness/environment';
import { waitForWebhook, type RunningN8n } from './harness/n8n';
import { stage } from './harness/timing';
import { chatStandIn, UPSTREAM_KEY } from './standins/chat';

jest.setTimeout(30 * 60 * 1000);

const upstream = chatStandIn();
const gateway = readWorkflow('metered-gateway.json');
let environment: Environment;
let n8n: RunningN8n;

async function mint(name: string, options: { models?: string[]; scopes?: string[] } = {}) {
	const [row] = await environment.postgres.query<{ token: string; token_hash: string }>(
		'keypilot',
		`SELECT * FROM keypilot_mint_token($1, $2, '{}', $3, $4)`,
		[name, options.scopes ?? ['gateway'], options.models ?? [], `${upstream.url}/v1`],
	);
	return row;
}

async function chat(token: string, body: object) {
	const response = await fetch(`${n8n.url}/webhook/v1/chat/completions`, {
		method: 'POST',
		headers: {
			authorization: `Bearer ${token}`,
			'content-type': 'application/json',
			'user-agent': 'e2e-client/1.0',
		},
		body: JSON.stringify(body),
	});
	const text = await response.text();
	return {
		status: response.status,
		used: response.headers.get('x-quota-used'),
		limit: response.headers.get('x-quota-limit'),
		text,
	};
}

/** Logging and settling run after the answer: wait until they are done. */
async function settled(tokenHash: string, requests: number) {
	for (let i = 0; i < 100; i++) {
		const [row] = await environment.postgres.query<{ rows: string; reserved: string | null }>(
			'keypilot',
			`SELECT (SELECT count(*) FROM llm_usage_log WHERE key_hash = $1)::text AS rows,
			        (SELECT reserved::text FROM llm_quotas WHERE subject_id = $1) AS reserved`,
			[tokenHash],
		);
		if (Number(row.rows) >= requests && (row.reserved === null || Number(row.reserved) === 0))
			return;
		await new Promise((resolve) => setTimeout(resolve, 200));
	}
	throw new Error('usage was not logged and settled in time');
}

beforeAll(async () => {
	await upstream.start();
	environment = await startEnvironment({
		credentials: (postgres) =>
			workflowCredentials({ postgres, database: 'keypilot', upstream: { apiKey: UPSTREAM_KEY } }),
		workflows: [gateway],
	});
	await environment.n8n.publish(gateway.id);
	n8n = await stage('n8n start', () =>
		environment.n8n.start({ log: !!process.env.KEYPILOT_E2E_LOG }),
	);
	await stage('webhook registered', () => waitForWebhook(`${n8n.url}/webhook/v1/chat/completions`));
});

afterAll(async () => {
	await n8n?.stop();
	await upstream.stop();
	await environment?.stop();
});

describe('workflows/metered-gateway.json in a real n8n', () => {
	it('answers with the provider response, injects the provider key, meters usage and settles the quota', async () => {
		const { token, token_hash } = await mint('team-a');
		await environment.postgres.query(
			'keypilot',
			`INSERT INTO llm_quotas (subject_type, subject_id, quota_type, limit_amount) VALUES ('token_hash', $1, 'tokens', 1000)`,
			[token_hash],
		);
		const answer = await chat(token, {
			model: 'gpt-4o-mini',
			max_tokens: 300,
			messages: [{ role: 'user', content: 'Hi' }],
		});
		expect({ status: answer.status, used: answer.used, limit: answer.limit }).toEqual({
			status: 200,
			used: '300',
			limit: '1000',
		});
		expect(JSON.parse(answer.text)).toMatchObject({
			object: 'chat.completion',
			usage: { total_tokens: 300 },
		});
		expect(upstream.requests.at(-1)?.headers.authorization).toBe(`Bearer ${UPSTREAM_KEY}`);
		await settled(token_hash, 1);
		const [row] = await environment.postgres.query<Record<string, string>>(
			'keypilot',
			`SELECT provider, model, route, status_code::text, total_tokens::text, key_name, user_agent FROM llm_usage_log WHERE key_hash = $1`,
			[token_hash],
		);
		expect(row).toEqual({
			provider: 'openai',
			model: 'gpt-4o-mini',
			route: '/v1/chat/completions',
			status_code: '200',
			total_tokens: '300',
			key_name: 'team-a',
			user_agent: 'e2e-client/1.0',
		});
		const [quota] = await environment.postgres.query<{ used: string }>(
			'keypilot',
			`SELECT used::text FROM llm_quotas WHERE subject_id = $1`,
			[token_hash],
		);
		expect(quota.used).toBe('300');
	});

	it('refuses an unknown token with 401, a model outside the scope with 403, and an exhausted quota with 429', async () => {
		expect((await chat('kp_not-a-token', { model: 'gpt-4o-mini' })).status).toBe(401);
		const scoped = await mint('scoped', { models: ['gpt-4o-mini'] });
		expect((await chat(scoped.token, { model: 'gpt-4o', max_tokens: 10 })).status).toBe(403);
		await environment.postgres.query(
			'keypilot',
			`INSERT INTO llm_quotas (subject_type, subject_id, quota_type, limit_amount) VALUES ('token_hash', $1, 'tokens', 50)`,
			[scoped.token_hash],
		);
		const exhausted = await chat(scoped.token, { model: 'gpt-4o-mini', max_tokens: 60 });
		expect(exhausted.status).toBe(429);
		expect(JSON.parse(exhausted.text).error.code).toBe('API_KEY_QUOTA_EXHAUSTED');
		expect(exhausted.limit).toBe('50');
	});

	it('logs a provider failure with its status and error and releases the reservation', async () => {
		const { token, token_hash } = await mint('team-b');
		await environment.postgres.query(
			'keypilot',
			`INSERT INTO llm_quotas (subject_type, subject_id, quota_type, limit_amount) VALUES ('token_hash', $1, 'tokens', 1000)`,
			[token_hash],
		);
		const failed = await chat(token, { model: 'broken', max_tokens: 100 });
		expect(failed.status).toBe(500);
		await settled(token_hash, 1);
		const [row] = await environment.postgres.query<Record<string, string>>(
			'keypilot',
			`SELECT status_code::text, error_message FROM llm_usage_log WHERE key_hash = $1`,
			[token_hash],
		);
		expect(row).toEqual({
			status_code: '500',
			error_message: 'The server had an error while processing your request.',
		});
		const [quota] = await environment.postgres.query<{ used: string; reserved: string }>(
			'keypilot',
			`SELECT used::text, reserved::text FROM llm_quotas WHERE subject_id = $1`,
			[token_hash],
		);
		expect(quota).toEqual({ used: '0', reserved: '0' });
	});
});
