import { registerUpstream, type Environment } from './harness/environment';
import { startGateway } from './harness/gateway';
import type { RunningN8n } from './harness/n8n';
import { chatStandIn, UPSTREAM_KEY } from './standins/chat';

jest.setTimeout(30 * 60 * 1000);

const upstream = chatStandIn();
let environment: Environment;
let n8n: RunningN8n;

async function mint(name: string, options: { models?: string[]; scopes?: string[] } = {}) {
	const [row] = await environment.postgres.query<{ token: string; token_hash: string }>(
		'keypilot',
		`SELECT * FROM keypilot_mint_token($1, $2, '{}', $3, 'stand-in')`,
		[name, options.scopes ?? ['gateway'], options.models ?? []],
	);
	return row;
}

async function chat(token: string, body: object) {
	const response = await fetch(`${n8n.url}/webhook/parts/v1/chat/completions`, {
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

async function limitTokens(tokenHash: string, limit: number) {
	await environment.postgres.query(
		'keypilot',
		`INSERT INTO llm_quotas (subject_type, subject_id, quota_type, limit_amount) VALUES ('token_hash', $1, 'tokens', $2)`,
		[tokenHash, limit],
	);
}

async function usage(tokenHash: string) {
	const [row] = await environment.postgres.query<{ used: string; reserved: string }>(
		'keypilot',
		`SELECT used::text, reserved::text FROM llm_quotas WHERE subject_id = $1`,
		[tokenHash],
	);
	return row;
}

/** What the upstream billed for the answers with these ids (those the gateway served). */
const billedFor = (answers: Array<{ text: string; status: number }>) =>
	answers
		.filter((answer) => answer.status === 200)
		.map((answer) => {
			const id = /"id":"(chatcmpl-[^"]+)"/.exec(answer.text)?.[1];
			return upstream.billed.find((entry) => entry.id === id)!.total_tokens;
		})
		.reduce((sum, tokens) => sum + tokens, 0);

/** Logging and settling run before the answer; the failure path releases after it. */
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
	({ environment, n8n } = await startGateway(upstream));
});

afterAll(async () => {
	await n8n?.stop();
	await upstream.stop();
	await environment?.stop();
});

describe('workflows/metered-gateway.json in a real n8n', () => {
	it('answers with the provider response, injects the provider key, meters usage and settles the quota', async () => {
		const { token, token_hash } = await mint('team-a');
		await limitTokens(token_hash, 1000);
		const answer = await chat(token, {
			model: 'gpt-4o-mini',
			max_tokens: 300,
			messages: [{ role: 'user', content: 'Hi' }],
		});
		const billed = upstream.billed.at(-1)!.total_tokens;
		// Settled before the answer went out: the header already shows the real usage.
		expect({ status: answer.status, used: answer.used, limit: answer.limit }).toEqual({
			status: 200,
			used: String(billed),
			limit: '1000',
		});
		expect(JSON.parse(answer.text)).toMatchObject({
			object: 'chat.completion',
			usage: { total_tokens: billed },
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
			total_tokens: String(billed),
			key_name: 'team-a',
			user_agent: 'e2e-client/1.0',
		});
		expect(await usage(token_hash)).toEqual({ used: String(billed), reserved: '0' });
	});

	it('refuses an unknown token with 401, a model outside the scope with 403, and an exhausted quota with 429', async () => {
		expect((await chat('kp_not-a-token', { model: 'gpt-4o-mini' })).status).toBe(401);
		const scoped = await mint('scoped', { models: ['gpt-4o-mini'] });
		expect((await chat(scoped.token, { model: 'gpt-4o', max_tokens: 10 })).status).toBe(403);
		await limitTokens(scoped.token_hash, 50);
		const exhausted = await chat(scoped.token, {
			model: 'gpt-4o-mini',
			max_tokens: 60,
			messages: [{ role: 'user', content: 'Hi' }],
		});
		expect(exhausted.status).toBe(429);
		expect(JSON.parse(exhausted.text).error.code).toBe('API_KEY_QUOTA_EXHAUSTED');
		expect(exhausted.limit).toBe('50');
	});

	it('logs a provider failure with its status and error and releases the reservation', async () => {
		const { token, token_hash } = await mint('team-b');
		await limitTokens(token_hash, 1000);
		const failed = await chat(token, {
			model: 'broken',
			max_tokens: 100,
			messages: [{ role: 'user', content: 'Hi' }],
		});
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

	it('clamps a request without max_tokens to what the quota can pay for, instead of a 50,001-token answer', async () => {
		const { token, token_hash } = await mint('no-limit');
		await limitTokens(token_hash, 1000);
		const answer = await chat(token, {
			model: 'gpt-4o-mini',
			messages: [{ role: 'user', content: 'Write a novel' }],
		});
		expect(answer.status).toBe(200);
		const sent = JSON.parse(upstream.requests.at(-1)!.body) as { max_tokens: number };
		expect(sent.max_tokens).toBeGreaterThan(0);
		expect(sent.max_tokens).toBeLessThan(1000);
		const state = await usage(token_hash);
		expect(Number(state.used)).toBe(billedFor([answer]));
		expect(Number(state.used)).toBeLessThanOrEqual(1000);
	});

	it('asks a stream for its usage and charges it; charges the whole reservation when usage never comes', async () => {
		const { token, token_hash } = await mint('streams');
		await limitTokens(token_hash, 100_000);
		const streamed = await chat(token, {
			model: 'gpt-4o-mini',
			max_tokens: 40,
			stream: true,
			messages: [{ role: 'user', content: 'Stream please' }],
		});
		expect(streamed.status).toBe(200);
		expect(JSON.parse(upstream.requests.at(-1)!.body)).toMatchObject({
			stream_options: { include_usage: true },
		});
		expect(Number((await usage(token_hash)).used)).toBe(upstream.billed.at(-1)!.total_tokens);

		const before = Number((await usage(token_hash)).used);
		const silent = await chat(token, {
			model: 'no-usage',
			max_tokens: 40,
			messages: [{ role: 'user', content: 'Answer without usage' }],
		});
		expect(silent.status).toBe(200);
		const charged = Number((await usage(token_hash)).used) - before;
		// The whole proven bound: never less than what the upstream billed.
		expect(charged).toBeGreaterThanOrEqual(upstream.billed.at(-1)!.total_tokens);
		const [row] = await environment.postgres.query<{ usage_complete: boolean }>(
			'keypilot',
			`SELECT usage_complete FROM llm_usage_log WHERE key_hash = $1 AND model = 'no-usage'`,
			[token_hash],
		);
		expect(row).toEqual({ usage_complete: false });
	});

	it('never goes over the limit with big prompts and n > 1 in parallel, and charges every served request', async () => {
		const { token, token_hash } = await mint('parallel');
		const limit = 20_000;
		await limitTokens(token_hash, limit);
		const prompt = 'Summarise this. '.repeat(600);
		const answers = await Promise.all(
			Array.from({ length: 20 }, (_, n) =>
				chat(token, {
					model: 'gpt-4o-mini',
					max_tokens: 100 + n,
					n: 2,
					messages: [{ role: 'user', content: `${n} ${prompt}` }],
				}),
			),
		);
		const served = answers.filter((answer) => answer.status === 200);
		expect(served.length).toBeGreaterThan(0);
		expect(answers.filter((answer) => answer.status === 429).length).toBeGreaterThan(0);
		const state = await usage(token_hash);
		expect(state.reserved).toBe('0');
		expect(Number(state.used)).toBeLessThanOrEqual(limit);
		expect(Number(state.used)).toBe(billedFor(served));
	});

	it('answers a request it cannot meter with 400 naming the field, and calls no provider', async () => {
		const { token, token_hash } = await mint('bad-input');
		await limitTokens(token_hash, 1000);
		const calls = upstream.requests.length;
		for (const [change, field] of [
			[{ max_tokens: -5 }, 'max_tokens'],
			[{ max_tokens: 'abc' }, 'max_tokens'],
			[{ max_tokens: 1.5 }, 'max_tokens'],
			[{ n: 0 }, 'n'],
		] as const) {
			const refused = await chat(token, {
				model: 'gpt-4o-mini',
				messages: [{ role: 'user', content: 'Hi' }],
				...change,
			});
			expect(refused.status).toBe(400);
			const error = (JSON.parse(refused.text) as { error: { code: string; message: string } })
				.error;
			expect(error.code).toBe('QUOTA_INPUT_INVALID');
			expect(error.message).toContain(`"${field}"`);
		}
		expect(upstream.requests.length).toBe(calls);
		expect(await usage(token_hash)).toEqual({ used: '0', reserved: '0' });
	});

	it('sends the provider key only to an upstream the owner named: a token cannot choose a URL', async () => {
		await expect(
			environment.postgres.query(
				'keypilot',
				`SELECT * FROM keypilot_mint_token('elsewhere', '{gateway}', '{}', '{}', 'http://127.0.0.1:9/')`,
			),
		).rejects.toThrow('upstream "http://127.0.0.1:9/" is not configured');
		// A token made before upstream names existed, pointing at a listener of its holder's.
		const { token, token_hash } = await mint('legacy');
		await environment.postgres.query(
			'keypilot',
			`UPDATE llm_gateway_tokens SET upstream = NULL, upstream_url = 'http://127.0.0.1:9/v1' WHERE token_hash = $1`,
			[token_hash],
		);
		const calls = upstream.requests.length;
		const refused = await chat(token, {
			model: 'gpt-4o-mini',
			max_tokens: 5,
			messages: [{ role: 'user', content: 'Hi' }],
		});
		expect(refused.status).toBe(403);
		expect(upstream.requests.length).toBe(calls);
	});

	it('keeps the reservation of a request that got no answer: it is charged in full when it expires', async () => {
		await registerUpstream(environment, 'closed', 'http://127.0.0.1:1/v1');
		const [minted] = await environment.postgres.query<{ token: string; token_hash: string }>(
			'keypilot',
			`SELECT * FROM keypilot_mint_token('no-answer', '{gateway}', '{}', '{}', 'closed')`,
		);
		await limitTokens(minted.token_hash, 1000);
		const answer = await chat(minted.token, {
			model: 'gpt-4o-mini',
			max_tokens: 50,
			messages: [{ role: 'user', content: 'Hi' }],
		});
		expect(answer.status).toBe(502);
		// The failure is logged after the answer; wait for its row.
		for (let i = 0; i < 100; i++) {
			const [logged] = await environment.postgres.query<{ rows: string }>(
				'keypilot',
				'SELECT count(*)::text AS rows FROM llm_usage_log WHERE key_hash = $1',
				[minted.token_hash],
			);
			if (logged.rows === '1') break;
			await new Promise((resolve) => setTimeout(resolve, 200));
		}
		const state = await usage(minted.token_hash);
		expect(state.used).toBe('0');
		expect(Number(state.reserved)).toBeGreaterThan(50);
		const [held] = await environment.postgres.query<{ seconds: number }>(
			'keypilot',
			`SELECT round(extract(epoch FROM expires_at - created_at))::int AS seconds FROM llm_quota_reservations WHERE subject_id = $1`,
			[minted.token_hash],
		);
		expect(held.seconds).toBe(180);
	});

	it('charges a USD quota exactly the logged cost, and never over the limit under 64 parallel requests', async () => {
		const { token, token_hash } = await mint('usd-team');
		await environment.postgres.query(
			'keypilot',
			`INSERT INTO llm_quotas (subject_type, subject_id, quota_type, limit_amount) VALUES ('token_hash', $1, 'usd', 0.004)`,
			[token_hash],
		);
		const answers = await Promise.all(
			Array.from({ length: 64 }, (_, n) =>
				chat(token, {
					model: 'gpt-4o-mini',
					max_tokens: 200,
					messages: [{ role: 'user', content: `USD request ${n}` }],
				}),
			),
		);
		const served = answers.filter((answer) => answer.status === 200).length;
		expect(served).toBeGreaterThan(0);
		expect(answers.filter((answer) => answer.status === 429)).toHaveLength(64 - served);
		const [state] = await environment.postgres.query<{
			reserved: string;
			rows: string;
			exact: boolean;
			within: boolean;
		}>(
			'keypilot',
			`SELECT q.reserved::text,
			        (SELECT count(*)::text FROM llm_usage_log WHERE key_hash = $1 AND cost_usd IS NOT NULL) AS rows,
			        q.used = (SELECT sum(cost_usd) FROM llm_usage_log WHERE key_hash = $1) AS exact,
			        q.used <= q.limit_amount AS within
			   FROM llm_quotas q WHERE q.subject_id = $1`,
			[token_hash],
		);
		// Charged exactly the logged cost (NUMERIC equality, no rounding), within the limit.
		expect(state).toEqual({ reserved: '0', rows: String(served), exact: true, within: true });
	});
});
