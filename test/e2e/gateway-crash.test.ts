/**
 * n8n killed while the gateway waits for the provider: nothing settles the reservation, so it
 * must be charged in full once it expires, never released for free.
 */
import { Pool } from 'pg';

import type { Environment } from './harness/environment';
import { startGateway } from './harness/gateway';
import type { RunningN8n } from './harness/n8n';
import { chatStandIn } from './standins/chat';
import { checkQuota, inQuotaUnit, reserveQuota } from '../../packages/ledger/core/quota';

jest.setTimeout(10 * 60 * 1000);

const upstream = chatStandIn();
let environment: Environment;
let n8n: RunningN8n;

beforeAll(async () => {
	await upstream.start();
	({ environment, n8n } = await startGateway(upstream));
});

afterAll(async () => {
	await n8n?.stop();
	await upstream.stop();
	await environment?.stop();
});

it('charges the whole reservation of a request whose n8n was killed during the provider call', async () => {
	const [{ token, token_hash }] = await environment.postgres.query<{
		token: string;
		token_hash: string;
	}>('keypilot', `SELECT * FROM keypilot_mint_token('crash', '{gateway}', '{}', '{}', 'stand-in')`);
	await environment.postgres.query(
		'keypilot',
		`INSERT INTO llm_quotas (subject_type, subject_id, quota_type, limit_amount) VALUES ('token_hash', $1, 'tokens', 1000)`,
		[token_hash],
	);
	const request = fetch(`${n8n.url}/webhook/parts/v1/chat/completions`, {
		method: 'POST',
		headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
		body: JSON.stringify({
			model: 'slow',
			max_tokens: 100,
			messages: [{ role: 'user', content: 'Take your time' }],
		}),
	}).catch((error: Error) => error);
	for (let i = 0; i < 100 && !upstream.requests.length; i++) {
		await new Promise((resolve) => setTimeout(resolve, 100));
	}
	expect(upstream.requests).toHaveLength(1);
	n8n.process.kill('SIGKILL');
	// The caller gets no answer: the connection dies with n8n.
	expect(await request).not.toBeInstanceOf(Response);

	const [held] = await environment.postgres.query<{ amount: string }>(
		'keypilot',
		`SELECT amount::text FROM llm_quota_reservations WHERE subject_id = $1 AND status = 'held'`,
		[token_hash],
	);
	expect(Number(held.amount)).toBeGreaterThan(100);
	// Time passes beyond the expiry (upstream timeout + margin); the next statement charges it.
	await environment.postgres.query(
		'keypilot',
		`UPDATE llm_quota_reservations SET expires_at = now() - interval '1 second' WHERE subject_id = $1`,
		[token_hash],
	);
	const pool = new Pool(environment.postgres.connection('keypilot'));
	try {
		const subject = { type: 'token_hash', id: token_hash };
		expect(await checkQuota(pool, subject, inQuotaUnit('0'))).toMatchObject({
			used: held.amount,
			reserved: '0',
		});
		const next = await reserveQuota(pool, subject, inQuotaUnit('1000'), crypto.randomUUID(), 60);
		expect(next).toMatchObject({ allowed: false, used: held.amount });
	} finally {
		await pool.end();
	}
	const [unsettled] = await environment.postgres.query<{ total_tokens: string }>(
		'keypilot',
		`SELECT total_tokens::text FROM llm_usage_log WHERE key_hash = $1 AND usage_complete = false`,
		[token_hash],
	);
	expect(unsettled).toEqual({ total_tokens: held.amount });
	// The upstream did the work: what it bills is covered by the charge.
	await new Promise((resolve) => setTimeout(resolve, 3500));
	expect(Number(held.amount)).toBeGreaterThanOrEqual(upstream.billed.at(-1)!.total_tokens);
});
