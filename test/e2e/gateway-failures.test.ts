/**
 * The gateway when things fail around it. The ledger's PostgreSQL stops while the gateway waits
 * for the provider: the answer cannot be logged and settled, so it is not delivered, and the
 * reservation taken before the call is charged in full once it expires; nothing is served for
 * free. Requests n8n refuses before the workflow runs (malformed JSON, wrong method, a body above
 * N8N_PAYLOAD_SIZE_MAX) get n8n's short JSON errors, without stack traces, with n8n run as
 * production (NODE_ENV=production, as the README and the demo set it), and run no workflow.
 */
import { randomUUID } from 'node:crypto';

import { Pool } from 'pg';

import { workflowCredentials } from './harness/credentials';
import { readWorkflow, startEnvironment, type Environment } from './harness/environment';
import { composedGatewayCopy } from './harness/gateway';
import { gatewayTriggerWorkflow } from './harness/gatewayTrigger';
import { waitForWebhook, type RunningN8n } from './harness/n8n';
import { stage } from './harness/timing';
import { chatStandIn, UPSTREAM_KEY } from './standins/chat';
import { TestPostgres } from '../helpers/postgres';
import { checkQuota, inQuotaUnit, reserveQuota } from '../../packages/ledger/core/quota';

jest.setTimeout(10 * 60 * 1000);

const upstream = chatStandIn();
const gateway = readWorkflow('gateway-from-parts.json');
const trigger = gatewayTriggerWorkflow('v1');
/** The same gateway with a 3-second upstream timeout, so that a hanging provider times out here. */
const impatient = composedGatewayCopy({
	id: 'kpGatewayImpati1',
	name: 'Metered gateway, 3-second upstream timeout',
	path: 'impatient/v1/chat/completions',
	timeoutSeconds: 3,
});
// The ledger on a server of its own, so that stopping it leaves n8n's own database running.
const ledger = new TestPostgres();
let environment: Environment;
let n8n: RunningN8n;

beforeAll(async () => {
	await upstream.start();
	await stage('start the ledger PostgreSQL', async () => {
		await ledger.start();
		await ledger.createDatabase('keypilot');
		await ledger.setUpLedger('keypilot');
		await ledger.query('keypilot', 'INSERT INTO llm_upstreams (name, url) VALUES ($1, $2)', [
			'stand-in',
			`${upstream.url}/v1`,
		]);
	});
	environment = await startEnvironment({
		credentials: () =>
			workflowCredentials({
				postgres: ledger,
				database: 'keypilot',
				upstream: { apiKey: UPSTREAM_KEY },
			}),
		workflows: [gateway, impatient, trigger],
	});
	await environment.n8n.publish(gateway.id);
	await environment.n8n.publish(trigger.id);
	await environment.n8n.publish(impatient.id);
	n8n = await stage('n8n start', () =>
		environment.n8n.start({ env: { NODE_ENV: 'production', N8N_PAYLOAD_SIZE_MAX: '6' } }),
	);
	await stage('webhooks registered', async () => {
		await waitForWebhook(`${n8n.url}/webhook/parts/v1/chat/completions`);
		await waitForWebhook(`${n8n.url}/webhook/impatient/v1/chat/completions`);
		await waitForWebhook(`${n8n.url}/webhook/v1/chat/completions`);
	});
});

afterAll(async () => {
	await n8n?.stop();
	await upstream.stop();
	await environment?.stop();
	await ledger.stop();
});

/** A gateway token for the stand-in upstream, with a 1,000-token quota. */
async function tokenWithQuota(name: string) {
	const [minted] = await ledger.query<{ token: string; token_hash: string }>(
		'keypilot',
		`SELECT * FROM keypilot_mint_token($1, '{gateway}', '{}', '{}', 'stand-in')`,
		[name],
	);
	await ledger.query(
		'keypilot',
		`INSERT INTO llm_quotas (subject_type, subject_id, quota_type, limit_amount) VALUES ('token_hash', $1, 'tokens', 1000)`,
		[minted.token_hash],
	);
	return minted;
}

/** Time passes beyond every reservation's expiry (upstream timeout + margin). */
async function expireReservations(tokenHash: string) {
	await ledger.query(
		'keypilot',
		`UPDATE llm_quota_reservations SET expires_at = now() - interval '1 second' WHERE subject_id = $1`,
		[tokenHash],
	);
}

it('does not deliver an answer it cannot log, and charges the reservation in full on expiry', async () => {
	const { token, token_hash } = await tokenWithQuota('outage');
	const answer = fetch(`${n8n.url}/webhook/parts/v1/chat/completions`, {
		method: 'POST',
		headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
		body: JSON.stringify({
			model: 'slow',
			max_tokens: 100,
			messages: [{ role: 'user', content: 'Take your time' }],
		}),
	});
	for (let i = 0; i < 100 && !upstream.requests.length; i++) {
		await new Promise((resolve) => setTimeout(resolve, 100));
	}
	expect(upstream.requests).toHaveLength(1);
	await stage('ledger PostgreSQL stopped during the provider call', () => ledger.pause());

	// The provider answers after 3 s; the gateway cannot log it, so it withholds the answer.
	const response = await answer;
	expect(response.status).toBe(503);
	expect(await response.json()).toEqual({
		error: {
			code: 'ledger_unavailable',
			message: 'The gateway cannot reach its ledger, so nothing was served. Retry later.',
		},
	});
	expect(upstream.billed).toHaveLength(1);

	await stage('ledger PostgreSQL back', () => ledger.resume());
	const [held] = await ledger.query<{ amount: string }>(
		'keypilot',
		`SELECT amount::text FROM llm_quota_reservations WHERE subject_id = $1 AND status = 'held'`,
		[token_hash],
	);
	expect(Number(held.amount)).toBeGreaterThanOrEqual(upstream.billed[0].total_tokens);
	await expireReservations(token_hash);
	const pool = new Pool(ledger.connection('keypilot'));
	try {
		const subject = { type: 'token_hash', id: token_hash };
		expect(await checkQuota(pool, subject, inQuotaUnit('0'))).toMatchObject({
			used: held.amount,
			reserved: '0',
		});
		// The next reservation's statement writes the charge and its "unsettled" usage row.
		expect(await reserveQuota(pool, subject, inQuotaUnit('1000'), randomUUID(), 60)).toMatchObject({
			allowed: false,
			used: held.amount,
		});
	} finally {
		await pool.end();
	}
	const rows = await ledger.query<{ total_tokens: string; usage_complete: boolean }>(
		'keypilot',
		'SELECT total_tokens::text, usage_complete FROM llm_usage_log WHERE key_hash = $1',
		[token_hash],
	);
	expect(rows).toEqual([{ total_tokens: held.amount, usage_complete: false }]);
});

it('answers 503 in its own words, and calls no provider, while the ledger is down', async () => {
	const calls = upstream.requests.length;
	await ledger.pause();
	try {
		const response = await fetch(`${n8n.url}/webhook/parts/v1/chat/completions`, {
			method: 'POST',
			headers: { authorization: 'Bearer kp_anything', 'content-type': 'application/json' },
			body: JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] }),
		});
		expect(response.status).toBe(503);
		expect(response.headers.get('retry-after')).toBe('5');
		const text = await response.text();
		expect(JSON.parse(text)).toMatchObject({ error: { code: 'ledger_unavailable' } });
		expect(text).not.toMatch(/stack|node_modules|ECONNREFUSED/);
	} finally {
		await ledger.resume();
	}
	expect(upstream.requests).toHaveLength(calls);
});

it('KeyPilot Gateway trigger: while the ledger is down, 503 in the shape of each API and no provider call; then it serves again without a restart', async () => {
	const { token } = await tokenWithQuota('trigger-outage');
	const ask = (path: string, body: object, headers: Record<string, string>) =>
		fetch(`${n8n.url}/webhook/v1${path}`, {
			method: 'POST',
			headers: { 'content-type': 'application/json', ...headers },
			body: JSON.stringify(body),
		});
	const chat = () =>
		ask(
			'/chat/completions',
			{ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }], max_tokens: 20 },
			{ authorization: `Bearer ${token}` },
		);
	expect((await chat()).status).toBe(200);
	const calls = upstream.requests.length;
	await ledger.pause();
	try {
		const openAi = await chat();
		expect({ status: openAi.status, body: await openAi.json() }).toEqual({
			status: 503,
			body: {
				error: {
					message: expect.stringContaining('ledger'),
					type: 'server_error',
					param: null,
					code: 'ledger_unavailable',
				},
			},
		});
		const anthropic = await ask(
			'/messages',
			{ model: 'claude-sonnet-4-5', max_tokens: 20, messages: [{ role: 'user', content: 'hi' }] },
			{ 'x-api-key': token, 'anthropic-version': '2023-06-01' },
		);
		expect({ status: anthropic.status, body: await anthropic.json() }).toMatchObject({
			status: 503,
			body: { type: 'error', error: { message: expect.stringContaining('ledger') } },
		});
	} finally {
		await ledger.resume();
	}
	expect(upstream.requests).toHaveLength(calls);
	// The same n8n serves again once its ledger is back: its pool reconnects by itself.
	const again = await chat();
	expect(again.status).toBe(200);
	expect(upstream.requests).toHaveLength(calls + 1);
});

it('answers what n8n refuses itself with short JSON errors, never a stack trace or a file path', async () => {
	const url = `${n8n.url}/webhook/parts/v1/chat/completions`;
	const calls = upstream.requests.length;
	const answers = [
		await fetch(url, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: '{"model": ',
		}),
		await fetch(url, { method: 'GET' }),
		// Above the gateway's 4 MiB, below n8n's limit (6 MiB here): the gateway's own 413.
		await fetch(url, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({
				model: 'gpt-4o-mini',
				messages: [{ role: 'user', content: 'x'.repeat(5 * 1024 * 1024) }],
			}),
		}),
		// Above N8N_PAYLOAD_SIZE_MAX: n8n refuses it before the workflow.
		await fetch(url, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({
				model: 'gpt-4o-mini',
				messages: [{ role: 'user', content: 'x'.repeat(7 * 1024 * 1024) }],
			}),
		}),
		// The trigger too: n8n parses a JSON body before any node's webhook() sees the request.
		await fetch(`${n8n.url}/webhook/v1/chat/completions`, {
			method: 'POST',
			headers: { authorization: 'Bearer kp_anything', 'content-type': 'application/json' },
			body: '{"model": ',
		}),
	];
	const seen = await Promise.all(
		answers.map(async (response) => ({ status: response.status, text: await response.text() })),
	);
	// n8n 2.41.1: unparseable JSON 422, wrong method 404, a body above N8N_PAYLOAD_SIZE_MAX 500
	// (the webhook reads the body lazily, and the reader's "too large" is not mapped to 413).
	expect(seen).toEqual([
		{ status: 422, text: expect.stringContaining('Failed to parse request body') },
		{ status: 404, text: expect.stringContaining('not registered for GET') },
		{ status: 413, text: expect.stringContaining('request_too_large') },
		{ status: 500, text: '{"code":0,"message":"There was a problem executing the workflow"}' },
		{ status: 422, text: expect.stringContaining('Failed to parse request body') },
	]);
	for (const answer of seen) {
		expect(answer.text).not.toMatch(/stacktrace|\bat \S+ \(|node_modules|\/dist\//);
		expect(answer.text.length).toBeLessThan(500);
	}
	expect(upstream.requests).toHaveLength(calls);
});

it('keeps the reservation of a call that timed out on a hanging provider, and charges it in full on expiry', async () => {
	const { token, token_hash } = await tokenWithQuota('hang');
	const started = Date.now();
	const response = await fetch(`${n8n.url}/webhook/impatient/v1/chat/completions`, {
		method: 'POST',
		headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
		body: JSON.stringify({
			model: 'hang',
			max_tokens: 50,
			messages: [{ role: 'user', content: 'Hello?' }],
		}),
	});
	expect(response.status).toBe(502);
	expect(await response.json()).toEqual({
		error: { code: 'upstream_unreachable', message: 'The provider could not be reached' },
	});
	expect(Date.now() - started).toBeGreaterThanOrEqual(3000);
	// Not released: the provider may have done the work. Its expiry is the timeout plus 60 s.
	const [held] = await ledger.query<{ amount: string; seconds: number; status: string }>(
		'keypilot',
		`SELECT amount::text, status, round(extract(epoch FROM expires_at - created_at))::int AS seconds
		   FROM llm_quota_reservations WHERE subject_id = $1`,
		[token_hash],
	);
	expect(held).toMatchObject({ status: 'held', seconds: 63 });
	await expireReservations(token_hash);
	const pool = new Pool(ledger.connection('keypilot'));
	try {
		const subject = { type: 'token_hash', id: token_hash };
		expect(await reserveQuota(pool, subject, inQuotaUnit('1'), randomUUID(), 60)).toMatchObject({
			allowed: true,
			used: held.amount,
		});
	} finally {
		await pool.end();
	}
	// The call's own row says its usage is not known, and the expired reservation is logged as
	// charged in full.
	const rows = await ledger.query<Record<string, unknown>>(
		'keypilot',
		`SELECT api_flavor, usage_complete, total_tokens::text, error_message FROM llm_usage_log
		  WHERE key_hash = $1 ORDER BY api_flavor`,
		[token_hash],
	);
	expect(rows).toEqual([
		{
			api_flavor: 'manual',
			usage_complete: false,
			total_tokens: null,
			error_message: expect.stringMatching(/^No answer from the provider: /),
		},
		{
			api_flavor: 'unsettled_reservation',
			usage_complete: false,
			total_tokens: held.amount,
			error_message: 'Reservation expired before it was settled: charged in full',
		},
	]);
});
