/**
 * Every route of the KeyPilot Gateway trigger in a real n8n, called by the official `openai` and
 * `@anthropic-ai/sdk` packages with only their base URL pointed at n8n (and raw requests shaped
 * as Claude Code and Codex send them): Messages, Responses, embeddings, models and the two token
 * counters, plain and streamed, each call logged with its exact cost and the quota's `used`
 * equal to their sum; a provider that reports more than the bound suspends the token.
 */
import { existsSync } from 'node:fs';

import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';

import { addDecimals, multiplyDecimal, toDecimal } from '../../common/money';
import { OpenApiContract, SHARED_SPECS } from '../contract/harness/openapi';
import { workflowCredentials } from './harness/credentials';
import { registerUpstream, startEnvironment, type Environment } from './harness/environment';
import { gatewayTriggerWorkflow } from './harness/gatewayTrigger';
import { waitForWebhook, type RunningN8n } from './harness/n8n';
import { stage } from './harness/timing';
import { chatStandIn, UPSTREAM_KEY } from './standins/chat';
import {
	ANTHROPIC_UPSTREAM_KEY,
	messagesStandIn,
	OVER_REPORT,
	PART_TOKENS,
} from './standins/messages';

jest.setTimeout(30 * 60 * 1000);

const openai = chatStandIn();
const anthropic = messagesStandIn();
let environment: Environment;
let n8n: RunningN8n;

const WORKFLOW = gatewayTriggerWorkflow('v1', { anthropic: true });
const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex').toString('base64').repeat(2000);

async function mint(name: string, upstream: string, limit: number, models = '{}') {
	const [row] = await environment.postgres.query<{ token: string; token_hash: string }>(
		'keypilot',
		`SELECT * FROM keypilot_mint_token($1, '{gateway}', '{}', $2, $3)`,
		[name, models, upstream],
	);
	await environment.postgres.query(
		'keypilot',
		`INSERT INTO llm_quotas (subject_type, subject_id, quota_type, limit_amount) VALUES ('token_hash', $1, 'tokens', $2)`,
		[row.token_hash, limit],
	);
	return row;
}

/** The quota and the usage rows of a token, once every row its calls leave is written. */
async function ledger(tokenHash: string, rows: number) {
	const read = async () =>
		(
			await environment.postgres.query<Record<string, string | null>>(
				'keypilot',
				`SELECT (SELECT used::text FROM llm_quotas WHERE subject_id = $1) AS used,
				        (SELECT reserved::text FROM llm_quotas WHERE subject_id = $1) AS reserved,
				        (SELECT count(*)::text FROM llm_usage_log WHERE key_hash = $1) AS rows,
				        (SELECT sum(total_tokens)::text FROM llm_usage_log WHERE key_hash = $1) AS tokens,
				        (SELECT bool_and(cost_usd > 0)::text FROM llm_usage_log WHERE key_hash = $1) AS priced,
				        (SELECT string_agg(DISTINCT route, ',') FROM llm_usage_log WHERE key_hash = $1) AS routes`,
				[tokenHash],
			)
		)[0];
	for (let i = 0; i < 50; i++) {
		const row = await read();
		if (row.rows === String(rows) && row.reserved === '0') return row;
		await new Promise((resolve) => setTimeout(resolve, 100));
	}
	return await read();
}

const claude = (token: string) =>
	new Anthropic({ apiKey: token, baseURL: `${n8n.url}/webhook`, maxRetries: 0 });
const gpt = (token: string) =>
	new OpenAI({ apiKey: token, baseURL: `${n8n.url}/webhook/v1`, maxRetries: 0 });

beforeAll(async () => {
	await Promise.all([openai.start(), anthropic.start()]);
	environment = await startEnvironment({
		credentials: (postgres) =>
			workflowCredentials({
				postgres,
				database: 'keypilot',
				upstream: { apiKey: UPSTREAM_KEY },
				anthropicUpstream: { apiKey: ANTHROPIC_UPSTREAM_KEY },
			}),
		workflows: [WORKFLOW],
	});
	await registerUpstream(environment, 'stand-in', `${openai.url}/v1`);
	await registerUpstream(environment, 'claude', `${anthropic.url}/v1`, 'anthropic');
	await environment.n8n.publish(WORKFLOW.id);
	n8n = await stage('n8n start', () =>
		environment.n8n.start({ log: !!process.env.KEYPILOT_E2E_LOG }),
	);
	await stage('webhook registered', () => waitForWebhook(`${n8n.url}/webhook/v1/messages`));
});

afterAll(async () => {
	await n8n?.stop();
	await Promise.all([openai.stop(), anthropic.stop()]);
	await environment?.stop();
});

describe('Messages, through the official Anthropic SDK', () => {
	it('carries a tool call and an image, counted by the provider, passes the version and beta headers unchanged, and charges what was billed', async () => {
		const { token, token_hash } = await mint('claude-sdk', 'claude', 100_000);
		const client = claude(token);
		const counted = await client.messages.countTokens({
			model: 'claude-sonnet-4-5',
			messages: [{ role: 'user', content: 'Hello' }],
		});
		expect(counted.input_tokens).toBeGreaterThan(0);
		const answer = await client.messages.create(
			{
				model: 'claude-sonnet-4-5',
				max_tokens: 300,
				tools: [{ name: 'get_weather', input_schema: { type: 'object', properties: {} } }],
				messages: [
					{
						role: 'user',
						content: [
							{ type: 'text', text: 'What is the weather where this photo was taken?' },
							{ type: 'image', source: { type: 'base64', media_type: 'image/png', data: PNG } },
						],
					},
				],
			},
			{ headers: { 'anthropic-beta': 'fine-grained-tool-streaming-2025-05-14' } },
		);
		expect(answer.content[0]).toMatchObject({ type: 'tool_use', name: 'get_weather' });
		const sent = anthropic.requests.filter((r) => r.path === '/v1/messages').at(-1)!;
		expect(sent.headers['x-api-key']).toBe(ANTHROPIC_UPSTREAM_KEY);
		expect(sent.headers['anthropic-version']).toBe(
			anthropic.requests.find((r) => r.path === '/v1/messages/count_tokens')!.headers[
				'anthropic-version'
			],
		);
		expect(sent.headers['anthropic-beta']).toBe('fine-grained-tool-streaming-2025-05-14');
		expect(JSON.parse(sent.body).messages[0].content[1].source.data).toBe(PNG);
		const billed = anthropic.billed.at(-1)!;
		expect(billed.input).toBeGreaterThan(PART_TOKENS);
		expect(answer.usage.input_tokens).toBe(billed.input);
		// count_tokens (the client's and the gateway's own, for the image) costs nothing.
		expect(await ledger(token_hash, 1)).toEqual({
			used: String(billed.input + billed.output),
			reserved: '0',
			rows: '1',
			tokens: String(billed.input + billed.output),
			priced: 'true',
			routes: '/v1/messages',
		});
	});

	it('streams every event as the provider sends it, the first before the provider sends its last', async () => {
		const { token, token_hash } = await mint('claude-stream', 'claude', 100_000);
		const stream = claude(token).messages.stream({
			model: 'claude-sonnet-4-5',
			max_tokens: 50,
			metadata: { user_id: 'paced' },
			messages: [{ role: 'user', content: 'Hello' }],
		});
		const received: Array<[string, number]> = [];
		for await (const event of stream) received.push([event.type, performance.now()]);
		const final = await stream.finalMessage();
		expect(received.map(([type]) => type)).toEqual([
			'message_start',
			'content_block_start',
			'content_block_delta',
			'content_block_stop',
			'message_delta',
			'message_stop',
		]);
		expect(received[0][1]).toBeLessThan(anthropic.pacedAt.at(-1)!);
		const billed = anthropic.billed.at(-1)!;
		expect(final.usage.output_tokens).toBe(billed.output);
		expect(await ledger(token_hash, 1)).toMatchObject({
			used: String(billed.input + billed.output),
			rows: '1',
		});
	});

	it("takes Claude Code's request as it comes: /v1/messages?beta=true, Bearer or x-api-key, and lists models in Anthropic's shape", async () => {
		const { token, token_hash } = await mint('claude-code', 'claude', 100_000);
		const body = JSON.stringify({
			model: 'claude-sonnet-4-5',
			max_tokens: 20,
			system: [
				{ type: 'text', text: 'You are Claude Code.', cache_control: { type: 'ephemeral' } },
			],
			messages: [{ role: 'user', content: 'hi' }],
		});
		const headers = {
			'content-type': 'application/json',
			'anthropic-version': '2023-06-01',
			'anthropic-beta': 'claude-code-20250219,interleaved-thinking-2025-05-14',
		};
		const auths: Array<Record<string, string>> = [
			{ authorization: `Bearer ${token}` },
			{ 'x-api-key': token },
		];
		for (const auth of auths) {
			const response = await fetch(`${n8n.url}/webhook/v1/messages?beta=true`, {
				method: 'POST',
				headers: { ...headers, ...auth },
				body,
			});
			expect(response.status).toBe(200);
			expect(await response.json()).toMatchObject({ type: 'message' });
			expect(anthropic.requests.at(-1)!.headers['anthropic-beta']).toBe(headers['anthropic-beta']);
		}
		const models = await fetch(`${n8n.url}/webhook/v1/models?limit=1000`, {
			headers: { 'anthropic-version': '2023-06-01', 'x-api-key': token },
		});
		expect(await models.json()).toMatchObject({
			data: [
				{ type: 'model', id: 'claude-sonnet-4-5' },
				{ type: 'model', id: 'claude-haiku-4-5' },
			],
			has_more: false,
		});
		expect(await ledger(token_hash, 2)).toMatchObject({ rows: '2', reserved: '0' });
	});

	it("refuses in Anthropic's shape: a Messages call for an OpenAI upstream, a missing max_tokens, no token", async () => {
		const { token } = await mint('claude-wrong-upstream', 'stand-in', 100_000);
		await expect(
			claude(token).messages.create({
				model: 'claude-sonnet-4-5',
				max_tokens: 10,
				messages: [{ role: 'user', content: 'hi' }],
			}),
		).rejects.toMatchObject({
			status: 404,
			error: { type: 'error', error: { type: 'not_found_error' } },
		});
		const { token: good } = await mint('claude-bad-body', 'claude', 100_000);
		const response = await fetch(`${n8n.url}/webhook/v1/messages`, {
			method: 'POST',
			headers: {
				'content-type': 'application/json',
				'x-api-key': good,
				'anthropic-version': '2023-06-01',
			},
			body: JSON.stringify({
				model: 'claude-sonnet-4-5',
				messages: [{ role: 'user', content: 'hi' }],
			}),
		});
		expect(response.status).toBe(400);
		expect(await response.json()).toEqual({
			type: 'error',
			error: { type: 'invalid_request_error', message: '"max_tokens" is required' },
		});
		await expect(
			claude('kp_nobody').messages.create({
				model: 'claude-sonnet-4-5',
				max_tokens: 10,
				messages: [{ role: 'user', content: 'hi' }],
			}),
		).rejects.toMatchObject({ status: 401, error: { error: { type: 'authentication_error' } } });
	});
});

describe('Responses, embeddings and models, through the official openai SDK', () => {
	it('serves Responses plain and streamed (Codex-shaped: store false), with response.completed delivered as sent', async () => {
		const { token, token_hash } = await mint('codex', 'stand-in', 200_000);
		const client = gpt(token);
		const plain = await client.responses.create({
			model: 'gpt-4o-mini',
			input: 'Say hello',
			max_output_tokens: 40,
		});
		expect(plain.output_text).toBe('Hello!');
		const stream = await client.responses.create({
			model: 'gpt-4o-mini',
			input: [{ role: 'user', content: 'Say hello' }],
			instructions: 'You are Codex.',
			store: false,
			stream: true,
			user: 'paced',
		});
		const types: string[] = [];
		let first: number | undefined;
		for await (const event of stream) {
			first ??= performance.now();
			types.push(event.type);
		}
		expect(types.at(-1)).toBe('response.completed');
		expect(types).toHaveLength(9);
		expect(first!).toBeLessThan(openai.pacedAt.at(-1)!);
		const [a, b] = openai.billed.slice(-2);
		expect(await ledger(token_hash, 2)).toMatchObject({
			used: String(a.total_tokens + b.total_tokens),
			tokens: String(a.total_tokens + b.total_tokens),
			priced: 'true',
			routes: '/v1/responses',
		});
	});

	it('counts provider-held state with the provider: a follow-up by previous_response_id is within its bound', async () => {
		const { token, token_hash } = await mint('codex-state', 'stand-in', 500_000);
		const client = gpt(token);
		const first = await client.responses.create({
			model: 'gpt-4o-mini',
			input: 'Remember this.',
			max_output_tokens: 500,
		});
		const counted = await client.responses.inputTokens.count({
			model: 'gpt-4o-mini',
			previous_response_id: first.id,
			input: 'And now?',
		});
		expect(counted.input_tokens).toBeGreaterThan(500);
		const next = await client.responses.create({
			model: 'gpt-4o-mini',
			previous_response_id: first.id,
			input: 'And now?',
			max_output_tokens: 16,
		});
		expect(next.usage?.input_tokens).toBe(counted.input_tokens);
		const [, billed] = openai.billed.slice(-2);
		expect(await ledger(token_hash, 2)).toMatchObject({ rows: '2', reserved: '0' });
		const [{ suspended }] = await environment.postgres.query<{ suspended: boolean }>(
			'keypilot',
			'SELECT suspended_at IS NOT NULL AS suspended FROM llm_gateway_tokens WHERE token_hash = $1',
			[token_hash],
		);
		expect(suspended).toBe(false);
		expect(billed.total_tokens).toBe(next.usage?.total_tokens);

		// Another token on the same upstream (so the same provider key) cannot continue it, nor
		// count it: OpenAI's answer for an unknown ID, and nothing reaches the provider.
		const other = await mint('codex-state-other', 'stand-in', 500_000);
		const stranger = gpt(other.token);
		const calls = openai.requests.length;
		const refusals = await Promise.all([
			stranger.responses
				.create({ model: 'gpt-4o-mini', previous_response_id: first.id, input: 'What was it?' })
				.catch((error: unknown) => error),
			stranger.responses.inputTokens
				.count({ model: 'gpt-4o-mini', previous_response_id: first.id, input: 'What was it?' })
				.catch((error: unknown) => error),
		]);
		for (const refusal of refusals) {
			expect(refusal).toBeInstanceOf(OpenAI.BadRequestError);
			expect((refusal as InstanceType<typeof OpenAI.BadRequestError>).error).toEqual({
				message: `Previous response with id '${first.id}' not found.`,
				type: 'invalid_request_error',
				param: 'previous_response_id',
				code: 'previous_response_not_found',
			});
		}
		expect(openai.requests.length).toBe(calls);
		expect(await ledger(other.token_hash, 0)).toMatchObject({ rows: '0', reserved: '0' });
	});

	it('charges the web search OpenAI bills a Chat Completions search request for, which its usage does not report', async () => {
		const { token, token_hash } = await mint('searcher', 'stand-in', 0);
		await environment.postgres.query(
			'keypilot',
			`UPDATE llm_quotas SET quota_type = 'usd', limit_amount = 1 WHERE subject_id = $1`,
			[token_hash],
		);
		const answer = await gpt(token).chat.completions.create({
			model: 'gpt-4o-mini-search-preview',
			web_search_options: {},
			max_tokens: 30,
			messages: [{ role: 'user', content: 'What happened today?' }],
		});
		const state = await ledger(token_hash, 1);
		const [row] = await environment.postgres.query<{
			web_search_requests: number;
			cost_usd: string;
		}>(
			'keypilot',
			'SELECT web_search_requests, cost_usd::text FROM llm_usage_log WHERE key_hash = $1',
			[token_hash],
		);
		// genai-prices: 0.15 and 0.60 USD per million tokens in and out, 10 USD per 1,000 searches.
		const tokens = addDecimals(
			multiplyDecimal('0.00000015', String(answer.usage!.prompt_tokens)),
			multiplyDecimal('0.0000006', String(answer.usage!.completion_tokens)),
		);
		expect({ ...row, cost_usd: toDecimal(row.cost_usd) }).toEqual({
			web_search_requests: 1,
			cost_usd: addDecimals(tokens, '0.01'),
		});
		expect(toDecimal(state.used!)).toBe(addDecimals(tokens, '0.01'));
		expect(state.reserved).toBe('0');
	});

	it('meters embeddings and lists the models a limited token may use', async () => {
		const { token, token_hash } = await mint(
			'embedder',
			'stand-in',
			10_000,
			'{text-embedding-3-small}',
		);
		const client = gpt(token);
		const answer = await client.embeddings.create({
			model: 'text-embedding-3-small',
			input: ['first text', 'second text'],
		});
		expect(answer.data).toHaveLength(2);
		const billed = openai.billed.at(-1)!.total_tokens;
		expect(answer.usage.prompt_tokens).toBe(billed);
		const models = [];
		for await (const model of client.models.list()) models.push(model.id);
		expect(models).toEqual(['text-embedding-3-small']);
		expect(await ledger(token_hash, 1)).toMatchObject({
			used: String(billed),
			routes: '/v1/embeddings',
		});
	});

	it('refuses an image part the upstream cannot count until the owner sets a ceiling for it', async () => {
		const { token, token_hash } = await mint('vision', 'stand-in', 100_000);
		const request = {
			model: 'gpt-4o-mini',
			max_tokens: 10,
			messages: [
				{
					role: 'user' as const,
					content: [
						{ type: 'text' as const, text: 'What is this?' },
						{ type: 'image_url' as const, image_url: { url: `data:image/png;base64,${PNG}` } },
					],
				},
			],
		};
		await expect(gpt(token).chat.completions.create(request)).rejects.toMatchObject({
			status: 400,
			param: 'messages[0].content[1]',
		});
		await environment.postgres.query(
			'keypilot',
			`UPDATE llm_upstreams SET part_token_ceilings = '{"image_url": 2000}' WHERE name = 'stand-in'`,
		);
		const answer = await gpt(token).chat.completions.create(request);
		expect(answer.usage?.total_tokens).toBe(openai.billed.at(-1)!.total_tokens);
		expect(await ledger(token_hash, 1)).toMatchObject({ rows: '1', reserved: '0' });
	});
});

describe('a provider that reports more than the request could use', () => {
	it('is charged what it reports, the violation is recorded and the token suspended until lifted', async () => {
		const { token, token_hash } = await mint('over-reported', 'claude', 1_000_000);
		const client = claude(token);
		const answer = await client.messages.create({
			model: 'over-report',
			max_tokens: 10,
			messages: [{ role: 'user', content: 'hi' }],
		});
		expect(answer.usage.input_tokens).toBeGreaterThan(OVER_REPORT);
		const billed = anthropic.billed.at(-1)!;
		expect(await ledger(token_hash, 1)).toMatchObject({
			used: String(billed.input + billed.output),
		});
		const [violation] = await environment.postgres.query<Record<string, string>>(
			'keypilot',
			'SELECT route, bound_tokens::text, reported_tokens::text FROM llm_bound_violations WHERE key_hash = $1',
			[token_hash],
		);
		expect(violation.route).toBe('/v1/messages');
		expect(Number(violation.reported_tokens)).toBe(billed.input + billed.output);
		expect(Number(violation.bound_tokens)).toBeLessThan(Number(violation.reported_tokens));
		const calls = anthropic.requests.length;
		await expect(
			client.messages.create({
				model: 'claude-sonnet-4-5',
				max_tokens: 10,
				messages: [{ role: 'user', content: 'hi' }],
			}),
		).rejects.toMatchObject({ status: 403, error: { error: { type: 'permission_error' } } });
		expect(anthropic.requests.length).toBe(calls);
	});
});

describe('what the gateway sends an OpenAI upstream', () => {
	it("is what OpenAI's definition of each route accepts", async () => {
		if (!existsSync(SHARED_SPECS)) {
			console.log(`skipped: ${SHARED_SPECS} is absent (OpenAI's definition lives in ../shared)`);
			return;
		}
		const routes = {
			'/responses': 'createResponse',
			'/responses/input_tokens': 'Getinputtokencounts',
			'/embeddings': 'createEmbedding',
		};
		const contract = await OpenApiContract.load('openai-openapi.yaml', Object.keys(routes));
		for (const [route, operationId] of Object.entries(routes)) {
			const sent = openai.requests.filter((request) => request.path === `/v1${route}`);
			expect(sent.length).toBeGreaterThanOrEqual(1);
			for (const request of sent) {
				expect(
					contract.check({ method: 'POST', url: route, body: JSON.parse(request.body) }),
				).toEqual({ operationId, errors: [] });
			}
		}
	});
});
