/**
 * The KeyPilot Gateway trigger in a real n8n, called by OpenAI's official SDK with only its base
 * URL pointed at n8n: plain and streamed Chat Completions metered on the token's quota, the
 * stream reaching the client as the provider sends it, and no n8n execution for any request.
 */
import { existsSync } from 'node:fs';

import OpenAI from 'openai';

import { OpenApiContract, SHARED_SPECS } from '../contract/harness/openapi';
import { workflowCredentials } from './harness/credentials';
import {
	mintGatewayToken,
	registerUpstream,
	startEnvironment,
	type Environment,
} from './harness/environment';
import { gatewayTriggerWorkflow } from './harness/gatewayTrigger';
import { waitForWebhook, type RunningN8n } from './harness/n8n';
import { stage } from './harness/timing';
import { chatStandIn, PACE_MS, UPSTREAM_KEY } from './standins/chat';

jest.setTimeout(30 * 60 * 1000);

const upstream = chatStandIn();
let environment: Environment;
let n8n: RunningN8n;

const WORKFLOW = gatewayTriggerWorkflow();

const mint = (name: string, limit?: number, upstream?: string) =>
	mintGatewayToken(environment, name, {
		upstream,
		quota: limit === undefined ? undefined : { limit },
	});

const client = (token: string) =>
	new OpenAI({ apiKey: token, baseURL: `${n8n.url}/webhook/v1`, maxRetries: 0 });

async function ledger(tokenHash: string) {
	const [row] = await environment.postgres.query<Record<string, string | null>>(
		'keypilot',
		`SELECT (SELECT used::text FROM llm_quotas WHERE subject_id = $1) AS used,
		        (SELECT reserved::text FROM llm_quotas WHERE subject_id = $1) AS reserved,
		        (SELECT count(*)::text FROM llm_usage_log WHERE key_hash = $1) AS rows,
		        (SELECT sum(total_tokens)::text FROM llm_usage_log WHERE key_hash = $1) AS tokens,
		        (SELECT bool_and(streamed)::text FROM llm_usage_log WHERE key_hash = $1) AS streamed,
		        (SELECT bool_and(cost_usd > 0)::text FROM llm_usage_log WHERE key_hash = $1) AS priced`,
		[tokenHash],
	);
	return row;
}

const executions = async () =>
	Number(
		(
			await environment.postgres.query<{ n: string }>(
				'n8n',
				'SELECT count(*)::text AS n FROM execution_entity',
			)
		)[0].n,
	);

beforeAll(async () => {
	await upstream.start();
	environment = await startEnvironment({
		credentials: (postgres) =>
			workflowCredentials({ postgres, database: 'keypilot', upstream: { apiKey: UPSTREAM_KEY } }),
		workflows: [WORKFLOW],
	});
	await registerUpstream(environment, 'stand-in', `${upstream.url}/v1`);
	await environment.n8n.publish(WORKFLOW.id);
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

describe('KeyPilot Gateway trigger, called by the official openai SDK', () => {
	it('answers a plain call with the provider key injected, logs it priced and settles the quota', async () => {
		const { token, token_hash } = await mint('sdk-plain', 5000);
		const before = await executions();
		const answer = await client(token).chat.completions.create({
			model: 'gpt-4o-mini',
			max_tokens: 200,
			messages: [{ role: 'user', content: 'Hello' }],
		});
		const billed = upstream.billed.at(-1)!.total_tokens;
		expect(answer.usage?.total_tokens).toBe(billed);
		expect(upstream.requests.at(-1)?.headers.authorization).toBe(`Bearer ${UPSTREAM_KEY}`);
		expect(await ledger(token_hash)).toEqual({
			used: String(billed),
			reserved: '0',
			rows: '1',
			tokens: String(billed),
			streamed: 'false',
			priced: 'true',
		});
		expect(await executions()).toBe(before);
	});

	it("keeps the token and the provider key out of n8n's database while a request runs and after", async () => {
		const { token } = await mint('never stored', 100_000, 'stand-in');
		const leaks = async () => {
			const [row] = await environment.postgres.query<{ n: string }>(
				'n8n',
				`SELECT ((SELECT count(*) FROM execution_entity)
				       + (SELECT count(*) FROM execution_data
				           WHERE data LIKE '%' || $1 || '%' OR data LIKE '%' || $2 || '%'))::text AS n`,
				[token, UPSTREAM_KEY],
			);
			const ledgerRows = await environment.postgres.query(
				'keypilot',
				'SELECT * FROM llm_usage_log',
			);
			const inLedger = [token, UPSTREAM_KEY].some((secret) =>
				JSON.stringify(ledgerRows).includes(secret),
			);
			return { executionRowsOrMentions: Number(row.n), inLedger };
		};
		const before = await leaks();
		// A 3-second answer: the database is read several times while it is in flight.
		const pending = client(token).chat.completions.create({
			model: 'slow',
			messages: [{ role: 'user', content: 'hi' }],
			max_tokens: 20,
		});
		const during = [];
		for (let read = 0; read < 5; read++) {
			await new Promise((resolve) => setTimeout(resolve, 400));
			during.push(await leaks());
		}
		await pending;
		for (const state of [...during, await leaks()]) expect(state).toEqual(before);
		expect(before).toEqual({ executionRowsOrMentions: 0, inLedger: false });
	});

	it('streams: the first event reaches the client before the provider sends its last, usage read from the stream', async () => {
		const { token, token_hash } = await mint('sdk-stream', 5000);
		const stream = await client(token).chat.completions.create({
			model: 'gpt-4o-mini',
			user: 'paced',
			max_tokens: 100,
			stream: true,
			messages: [{ role: 'user', content: 'Hello' }],
		});
		const received: number[] = [];
		let usage: number | undefined;
		for await (const chunk of stream) {
			received.push(performance.now());
			if (chunk.usage) usage = chunk.usage.total_tokens;
		}
		const sent = upstream.pacedAt;
		expect(sent.length).toBeGreaterThanOrEqual(3);
		// Byte for byte as it passes: the client holds the first event while the provider still pauses.
		expect(received[0]).toBeLessThan(sent.at(-1)!);
		console.log(
			`first event ${(received[0] - sent[0]).toFixed(0)} ms after the provider sent it; the provider's last came ${(sent.at(-1)! - sent[0]).toFixed(0)} ms after its first (${PACE_MS} ms apart)`,
		);
		const billed = upstream.billed.at(-1)!.total_tokens;
		// The gateway asked for the stream's usage (include_usage), so the client sees it too.
		expect(usage).toBe(billed);
		for (let i = 0; i < 50 && (await ledger(token_hash)).rows !== '1'; i++)
			await new Promise((resolve) => setTimeout(resolve, 100));
		expect(await ledger(token_hash)).toEqual({
			used: String(billed),
			reserved: '0',
			rows: '1',
			tokens: String(billed),
			streamed: 'true',
			priced: 'true',
		});
	});

	it('carries a tool call round trip and an image part held at its upstream ceiling, each call logged and charged exactly what was billed', async () => {
		// Chat Completions has no token counter: an image is held at the ceiling its upstream sets.
		await registerUpstream(environment, 'stand-in-images', `${upstream.url}/v1`);
		await environment.postgres.query(
			'keypilot',
			`UPDATE llm_upstreams SET part_token_ceilings = '{"image_url": 2000}' WHERE name = 'stand-in-images'`,
		);
		const { token, token_hash } = await mint('sdk-tools', 20_000, 'stand-in-images');
		const gpt = client(token);
		const tools: OpenAI.ChatCompletionTool[] = [
			{
				type: 'function',
				function: {
					name: 'weather',
					description: 'The weather in a city',
					parameters: {
						type: 'object',
						properties: { city: { type: 'string' } },
						required: ['city'],
					},
				},
			},
		];
		const question: OpenAI.ChatCompletionMessageParam = {
			role: 'user',
			content: [
				{ type: 'text', text: 'What is the weather where this photo was taken?' },
				{
					type: 'image_url',
					image_url: { url: `data:image/png;base64,${'iVBORw0KGgo'.repeat(500)}` },
				},
			],
		};
		const first = await gpt.chat.completions.create({
			model: 'gpt-4o-mini',
			max_tokens: 50,
			tools,
			messages: [question],
		});
		const call = first.choices[0].message.tool_calls?.[0];
		expect(first.choices[0].finish_reason).toBe('tool_calls');
		expect(call).toMatchObject({ type: 'function', function: { name: 'weather' } });
		const second = await gpt.chat.completions.create({
			model: 'gpt-4o-mini',
			max_tokens: 50,
			tools,
			messages: [
				question,
				first.choices[0].message,
				{ role: 'tool', tool_call_id: call!.id, content: '{"temperature_c": 18}' },
			],
		});
		expect(second.choices[0].message.content).toBe('Hello!');
		// What the provider sent upstream carried the tools and the image as the client sent them.
		const sent = JSON.parse(upstream.requests.at(-1)!.body) as Record<string, unknown>;
		expect(sent.tools).toEqual(tools);
		expect((sent.messages as unknown[])[0]).toEqual(question);

		const billed = upstream.billed.slice(-2).reduce((sum, answer) => sum + answer.total_tokens, 0);
		expect(first.usage!.total_tokens + second.usage!.total_tokens).toBe(billed);
		expect(await ledger(token_hash)).toEqual({
			used: String(billed),
			reserved: '0',
			rows: '2',
			tokens: String(billed),
			streamed: 'false',
			priced: 'true',
		});
	});

	it("refuses in OpenAI's shape: no token 401, a spent quota 429 with API_KEY_QUOTA_EXHAUSTED and the quota headers, nothing sent upstream", async () => {
		const calls = upstream.requests.length;
		await expect(
			client('kp_unknown').chat.completions.create({
				model: 'gpt-4o-mini',
				max_tokens: 10,
				messages: [{ role: 'user', content: 'Hi' }],
			}),
		).rejects.toMatchObject({ status: 401, code: 'invalid_api_key' });
		const { token, token_hash } = await mint('sdk-spent', 40);
		const refused = await client(token)
			.chat.completions.create({
				model: 'gpt-4o-mini',
				max_tokens: 100,
				messages: [{ role: 'user', content: 'Hi' }],
			})
			.catch((error: unknown) => error);
		expect(refused).toBeInstanceOf(OpenAI.RateLimitError);
		expect(refused).toMatchObject({
			status: 429,
			code: 'API_KEY_QUOTA_EXHAUSTED',
			type: 'insufficient_quota',
		});
		expect(
			(refused as InstanceType<typeof OpenAI.RateLimitError>).headers.get('x-quota-limit'),
		).toBe('40');
		expect(upstream.requests.length).toBe(calls);
		expect(await ledger(token_hash)).toMatchObject({ used: '0', reserved: '0', rows: '0' });
	});

	it("holds a team's rate limit for a token inside it: the third request in a minute is OpenAI's 429 rate_limit_exceeded with Retry-After, nothing sent upstream", async () => {
		const { token, token_hash } = await mint('sdk-team-rate');
		await environment.postgres.query(
			'keypilot',
			`INSERT INTO llm_quota_parents (subject_type, subject_id, parent_type, parent_id)
			 VALUES ('token_hash', $1, 'team', 'e2e-rate');
			 INSERT INTO llm_quotas (subject_type, subject_id, kind, quota_type, limit_amount)
			 VALUES ('team', 'e2e-rate', 'requests_per_minute', 'requests', 2)`.replace(
				'$1',
				`'${token_hash}'`,
			),
		);
		const ask = () =>
			client(token).chat.completions.create({
				model: 'gpt-4o-mini',
				max_tokens: 10,
				messages: [{ role: 'user', content: 'Hi' }],
			});
		await ask();
		await ask();
		const calls = upstream.requests.length;
		const refused = await ask().catch((error: unknown) => error);
		expect(refused).toBeInstanceOf(OpenAI.RateLimitError);
		expect(refused).toMatchObject({ status: 429, code: 'rate_limit_exceeded', type: 'requests' });
		const headers = (refused as InstanceType<typeof OpenAI.RateLimitError>).headers;
		expect(Number(headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
		expect(Number(headers.get('retry-after'))).toBeLessThanOrEqual(30);
		expect(headers.get('x-quota-scope')).toBe('team:e2e-rate; limit=requests_per_minute');
		expect(headers.get('x-should-retry')).toBeNull();
		expect((refused as Error).message).toMatch(
			/Rate limit reached on team:e2e-rate; limit=requests_per_minute: 2 requests per minute\. Retry after \d+ s/,
		);
		expect(upstream.requests.length).toBe(calls);

		// The token reads what it has left on every layer, the team's rate limit among them.
		const budget = await fetch(`${n8n.url}/webhook/v1/keypilot/budget`, {
			headers: { authorization: `Bearer ${token}` },
		});
		expect(budget.status).toBe(200);
		expect(await budget.json()).toEqual({
			object: 'keypilot.budget',
			model: null,
			layers: [
				{
					scope: 'team:e2e-rate; limit=requests_per_minute',
					subject_type: 'team',
					subject_id: 'e2e-rate',
					models: null,
					kind: 'requests_per_minute',
					quota_type: 'requests',
					quota_limit: 2,
				},
			],
		});
		// Only its own: naming another token or subject in the query changes nothing.
		const [other] = await environment.postgres.query<{ subject_id: string }>(
			'keypilot',
			`SELECT subject_id FROM llm_quotas WHERE subject_type = 'token_hash' AND subject_id <> $1 LIMIT 1`,
			[token_hash],
		);
		const prying = await fetch(
			`${n8n.url}/webhook/v1/keypilot/budget?token_hash=${other.subject_id}&subject_id=${other.subject_id}&subject_type=token_hash`,
			{ headers: { authorization: `Bearer ${token}` } },
		);
		expect(((await prying.json()) as { layers: Array<{ subject_id: string }> }).layers).toEqual([
			expect.objectContaining({ subject_id: 'e2e-rate' }),
		]);
		const anonymous = await fetch(`${n8n.url}/webhook/v1/keypilot/budget`);
		expect(anonymous.status).toBe(401);
		expect(await anonymous.json()).toMatchObject({ error: { code: 'invalid_api_key' } });
	});

	it('holds a concurrency limit of 3 against 20 slow requests at once: never more than 3 at the provider, the rest told to retry after 1 s, all served', async () => {
		const { token, token_hash } = await mint('sdk-three-at-once');
		await environment.postgres.query(
			'keypilot',
			`INSERT INTO llm_quotas (subject_type, subject_id, kind, quota_type, limit_amount)
			 VALUES ('token_hash', $1, 'concurrent', 'requests', 3)`,
			[token_hash],
		);
		upstream.mostInFlight = upstream.inFlight;
		const retryAfter = new Set<string | null>();
		const served = await Promise.all(
			Array.from({ length: 20 }, async () => {
				for (let attempt = 0; attempt < 60; attempt++) {
					const response = await fetch(`${n8n.url}/webhook/v1/chat/completions`, {
						method: 'POST',
						headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
						body: JSON.stringify({
							model: 'slow',
							max_tokens: 5,
							messages: [{ role: 'user', content: 'Hi' }],
						}),
					});
					await response.arrayBuffer();
					if (response.status !== 429) return response.status;
					retryAfter.add(response.headers.get('retry-after'));
					await new Promise((resolve) =>
						setTimeout(resolve, Number(response.headers.get('retry-after')) * 1000),
					);
				}
				return 0;
			}),
		);
		expect(served).toEqual(Array.from({ length: 20 }, () => 200));
		expect(upstream.mostInFlight).toBe(3);
		expect([...retryAfter]).toEqual(['1']);
	});

	it("passes a provider's error through and releases the reservation: the provider did nothing", async () => {
		const { token, token_hash } = await mint('sdk-provider-error', 5000);
		const failed = await client(token)
			.chat.completions.create({
				model: 'broken',
				max_tokens: 50,
				messages: [{ role: 'user', content: 'Hi' }],
			})
			.catch((error: unknown) => error);
		expect(failed).toBeInstanceOf(OpenAI.InternalServerError);
		expect(failed).toMatchObject({ status: 500, type: 'server_error' });
		expect(await ledger(token_hash)).toMatchObject({ used: '0', reserved: '0', rows: '1' });
		const [row] = await environment.postgres.query<{ status_code: number; error_message: string }>(
			'keypilot',
			'SELECT status_code, error_message FROM llm_usage_log WHERE key_hash = $1',
			[token_hash],
		);
		expect(row.status_code).toBe(500);
		expect(row.error_message).toMatch(/^Provider error 500: /);
	});

	it("sends upstream only requests OpenAI's definition of POST /chat/completions accepts", async () => {
		if (!existsSync(SHARED_SPECS)) {
			console.log(`skipped: ${SHARED_SPECS} is absent (OpenAI's definition lives in ../shared)`);
			return;
		}
		const contract = await OpenApiContract.load('openai-openapi.yaml', ['/chat/completions']);
		const sent = upstream.requests.filter((request) => request.path === '/v1/chat/completions');
		expect(sent.length).toBeGreaterThanOrEqual(2);
		for (const request of sent) {
			expect(
				contract.check({
					method: 'POST',
					url: '/chat/completions',
					body: JSON.parse(request.body),
				}),
			).toEqual({ operationId: 'createChatCompletion', errors: [] });
		}
	});
});
