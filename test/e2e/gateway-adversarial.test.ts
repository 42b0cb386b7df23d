/**
 * The KeyPilot Gateway trigger against a provider and clients that misbehave: no usage, a client
 * that goes away mid-stream, a provider that drops the stream or never answers, and 50 requests
 * of random sizes racing for a quota that fits about 10. In each case the quota ends charged,
 * never free, and never beyond its limit.
 */
import OpenAI from 'openai';

import { boundChatRequest } from '../../packages/ledger/core/usage/requestBound';

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
import { chatStandIn, UPSTREAM_KEY } from './standins/chat';

jest.setTimeout(30 * 60 * 1000);

const upstream = chatStandIn();
let environment: Environment;
let n8n: RunningN8n;

const WORKFLOW = gatewayTriggerWorkflow();
// A short provider timeout, so the hanging provider below gives up in seconds.
(WORKFLOW.nodes[0].parameters as Record<string, unknown>).upstreamTimeout = 3;

const mint = (name: string, limit: number) =>
	mintGatewayToken(environment, name, { quota: { limit } });

interface Ledger {
	used: number;
	reserved: number;
	rows: number;
	logged_tokens: number;
	complete: boolean | null;
}

async function ledger(tokenHash: string): Promise<Ledger> {
	const [row] = await environment.postgres.query<Record<string, string | boolean | null>>(
		'keypilot',
		`SELECT (SELECT used::text FROM llm_quotas WHERE subject_id = $1) AS used,
		        (SELECT reserved::text FROM llm_quotas WHERE subject_id = $1) AS reserved,
		        (SELECT count(*)::text FROM llm_usage_log WHERE key_hash = $1) AS rows,
		        (SELECT coalesce(sum(total_tokens), 0)::text FROM llm_usage_log WHERE key_hash = $1) AS logged_tokens,
		        (SELECT bool_and(usage_complete) FROM llm_usage_log WHERE key_hash = $1) AS complete`,
		[tokenHash],
	);
	return {
		used: Number(row.used),
		reserved: Number(row.reserved),
		rows: Number(row.rows),
		logged_tokens: Number(row.logged_tokens),
		complete: row.complete as boolean | null,
	};
}

/** Waits until the token has `rows` usage rows (a call is logged after its answer ends). */
async function logged(tokenHash: string, rows: number): Promise<Ledger> {
	const deadline = Date.now() + 15_000;
	let state = await ledger(tokenHash);
	while (state.rows < rows && Date.now() < deadline) {
		await new Promise((resolve) => setTimeout(resolve, 100));
		state = await ledger(tokenHash);
	}
	return state;
}

/** What a request reserves: the proven bound of its prompt plus its output limit per choice. */
function reservation(body: object): number {
	const bound = boundChatRequest(body);
	return bound.promptTokens + (bound.outputTokens ?? 0) * bound.choices;
}

const client = (token: string) =>
	new OpenAI({ apiKey: token, baseURL: `${n8n.url}/webhook/v1`, maxRetries: 0 });

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

describe('KeyPilot Gateway trigger against a provider and clients that misbehave', () => {
	it('charges the whole reservation when the provider reports no usage', async () => {
		const { token, token_hash } = await mint('no-usage', 100_000);
		const body = {
			model: 'no-usage',
			max_tokens: 200,
			messages: [{ role: 'user' as const, content: 'Say hello' }],
		};
		const answer = await client(token).chat.completions.create(body);
		expect(answer.usage).toBeUndefined();
		const state = await logged(token_hash, 1);
		expect(state).toMatchObject({ rows: 1, reserved: 0, complete: false });
		expect(state.used).toBe(reservation(body));
		expect(state.used).toBeGreaterThan(upstream.billed.at(-1)!.total_tokens);
	});

	it('stops the provider when the client goes away mid-stream, and charges the reservation', async () => {
		const { token, token_hash } = await mint('gone', 100_000);
		const abandoned = upstream.abandoned;
		const abort = new AbortController();
		const body = {
			model: 'gpt-4o-mini',
			max_tokens: 100,
			stream: true,
			user: 'paced',
			messages: [{ role: 'user', content: 'Count slowly' }],
		};
		const response = await fetch(`${n8n.url}/webhook/v1/chat/completions`, {
			method: 'POST',
			headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
			body: JSON.stringify(body),
			signal: abort.signal,
		});
		const reader = response.body!.getReader();
		const first = await reader.read();
		expect(new TextDecoder().decode(first.value)).toMatch(/^data: /);
		abort.abort();
		const state = await logged(token_hash, 1);
		expect(upstream.abandoned).toBe(abandoned + 1);
		// The provider reported nothing before the stream was cut: the reservation is the charge.
		expect(state).toMatchObject({ rows: 1, reserved: 0, complete: false });
		expect(state.used).toBe(reservation(body));
	});

	it('breaks the client stream off when the provider drops it, as the provider would, and charges the reservation', async () => {
		const { token, token_hash } = await mint('dropped', 100_000);
		const started = Date.now();
		const body = {
			model: 'cut',
			max_tokens: 100,
			stream: true as const,
			messages: [{ role: 'user' as const, content: 'Hello' }],
		};
		const stream = await client(token).chat.completions.create(body);
		const chunks: unknown[] = [];
		await expect(
			(async () => {
				for await (const chunk of stream) chunks.push(chunk);
			})(),
		).rejects.toThrow();
		expect(chunks).toHaveLength(1);
		expect(Date.now() - started).toBeLessThan(5_000);
		const state = await logged(token_hash, 1);
		expect(state).toMatchObject({ rows: 1, reserved: 0, complete: false });
		expect(state.used).toBe(reservation(body));
	});

	it('answers 502 when the provider never answers, and charges the whole reservation: the provider may have done the work', async () => {
		const { token, token_hash } = await mint('hung', 100_000);
		const started = Date.now();
		const body = {
			model: 'hang',
			max_tokens: 50,
			messages: [{ role: 'user' as const, content: 'Hello?' }],
		};
		await expect(client(token).chat.completions.create(body)).rejects.toMatchObject({
			status: 502,
			error: { code: 'upstream_unreachable' },
		});
		expect(Date.now() - started).toBeGreaterThanOrEqual(3_000);
		const state = await logged(token_hash, 1);
		expect(state).toMatchObject({ rows: 1, reserved: 0, complete: false });
		expect(state.used).toBe(reservation(body));
		const [row] = await environment.postgres.query<{ status_code: number | null; error: string }>(
			'keypilot',
			'SELECT status_code, error_message AS error FROM llm_usage_log WHERE key_hash = $1',
			[token_hash],
		);
		expect(row).toEqual({
			status_code: null,
			error: expect.stringMatching(/^No answer from the provider/),
		});
	});

	it('never goes over a quota that fits about 10 of 50 parallel requests of random sizes, and charges each served one', async () => {
		// A fixed seed: the same sizes every run.
		let seed = 20261206;
		const random = () => {
			seed = (seed * 1103515245 + 12345) % 2 ** 31;
			return seed / 2 ** 31;
		};
		const limit = 6_000;
		const { token, token_hash } = await mint('racing', limit);
		const requests = Array.from({ length: 50 }, () => ({
			max_tokens: 50 + Math.floor(random() * 400),
			content: 'word '.repeat(1 + Math.floor(random() * 80)),
			stream: random() < 0.5,
		}));
		const gpt = client(token);
		const results = await Promise.all(
			requests.map(async (request) => {
				try {
					if (request.stream) {
						const stream = await gpt.chat.completions.create({
							model: 'gpt-4o-mini',
							max_tokens: request.max_tokens,
							stream: true,
							messages: [{ role: 'user', content: request.content }],
						});
						for await (const chunk of stream) void chunk;
					} else {
						await gpt.chat.completions.create({
							model: 'gpt-4o-mini',
							max_tokens: request.max_tokens,
							messages: [{ role: 'user', content: request.content }],
						});
					}
					return 200;
				} catch (error) {
					return (error as { status?: number }).status ?? 0;
				}
			}),
		);
		const served = results.filter((status) => status === 200).length;
		const refused = results.filter((status) => status === 429).length;
		console.log(`${served} served, ${refused} refused (429) of 50 on a quota of ${limit} tokens`);
		expect(served + refused).toBe(50);
		expect(served).toBeGreaterThanOrEqual(5);
		expect(served).toBeLessThan(30);
		const state = await logged(token_hash, served);
		expect(state.rows).toBe(served);
		expect(state.reserved).toBe(0);
		expect(state.used).toBeLessThanOrEqual(limit);
		// Every served request was charged exactly what the provider billed.
		expect(state.used).toBe(state.logged_tokens);
		expect(state.complete).toBe(true);
	});
});
