import { workflowCredentials } from './harness/credentials';
import {
	mintGatewayToken,
	pointAlertsAt,
	readWorkflow,
	registerUpstream,
	startEnvironment,
	type Environment,
} from './harness/environment';
import {
	installCommunityPackages,
	N8nInstance,
	waitForWebhook,
	type RunningN8n,
} from './harness/n8n';
import { TestRedis } from './harness/redis';
import { stage } from './harness/timing';
import { chatStandIn, UPSTREAM_KEY } from './standins/chat';
import { ANTHROPIC_UPSTREAM_KEY, messagesStandIn } from './standins/messages';
import { json, StandIn } from './standins/server';
import { boundChatRequest, totalTokenBound } from '../../packages/ledger/core/usage/requestBound';
import {
	boundEmbeddingsRequest,
	boundMessagesRequest,
	boundResponsesRequest,
} from '../../packages/ledger/core/usage/apiBounds';

jest.setTimeout(30 * 60 * 1000);

const REQUESTS = 200;
const FITS = 100;
const TOKENS_PER_REQUEST = 50;
/** Every request has the same size, so each reserves the same proven bound. */
const requestBody = (n: number) => ({
	model: 'gpt-4o-mini',
	max_tokens: TOKENS_PER_REQUEST,
	messages: [{ role: 'user', content: `request ${String(n).padStart(3, '0')}` }],
});
const RESERVED_PER_REQUEST = totalTokenBound(boundChatRequest(requestBody(0)));

const upstream = chatStandIn();
const anthropic = messagesStandIn();
const receiver = new StandIn((_req, res) => json(res, 200, { ok: true }));
const redis = new TestRedis();
const gateway = readWorkflow('gateway-from-parts.json');
/** The shipped trigger workflow, its alerts posted to `receiver`. */
const trigger = readWorkflow('metered-gateway.json') as {
	id: string;
	nodes: Array<{ name: string; parameters: Record<string, unknown> }>;
};

/** One request of each route in turn: OpenAI's three metered routes and Anthropic's Messages. */
const MIXED = [
	{
		path: 'chat/completions',
		api: 'openai',
		body: { model: 'gpt-4o-mini', max_tokens: 40, messages: [{ role: 'user', content: 'hi' }] },
		bound: boundChatRequest,
	},
	{
		path: 'responses',
		api: 'openai',
		body: { model: 'gpt-4o-mini', max_output_tokens: 40, input: 'hi' },
		bound: boundResponsesRequest,
	},
	{
		path: 'embeddings',
		api: 'openai',
		body: { model: 'text-embedding-3-small', input: 'a sentence to embed' },
		bound: boundEmbeddingsRequest,
	},
	{
		path: 'messages',
		api: 'anthropic',
		body: {
			model: 'claude-sonnet-4-5',
			max_tokens: 40,
			messages: [{ role: 'user', content: 'hi' }],
		},
		bound: boundMessagesRequest,
	},
] as const;
let environment: Environment;
const workers: N8nInstance[] = [];
const running: RunningN8n[] = [];
let main: RunningN8n;

beforeAll(async () => {
	await Promise.all([upstream.start(), anthropic.start(), receiver.start()]);
	await redis.start();
	pointAlertsAt(trigger, `${receiver.url}/alerts`);
	environment = await startEnvironment({
		credentials: (postgres) =>
			workflowCredentials({
				postgres,
				database: 'keypilot',
				upstream: { apiKey: UPSTREAM_KEY },
				anthropicUpstream: { apiKey: ANTHROPIC_UPSTREAM_KEY },
			}),
		workflows: [gateway, trigger],
	});
	await registerUpstream(environment, 'stand-in', `${upstream.url}/v1`);
	await registerUpstream(environment, 'claude', `${anthropic.url}/v1`, 'anthropic');
	await environment.n8n.publish(gateway.id);
	await environment.n8n.publish(trigger.id);
	const queue = {
		EXECUTIONS_MODE: 'queue',
		QUEUE_BULL_REDIS_HOST: '127.0.0.1',
		QUEUE_BULL_REDIS_PORT: String(redis.port),
	};
	main = await stage('n8n main (queue mode)', () => environment.n8n.start({ env: queue }));
	running.push(main);
	for (let w = 0; w < 2; w++) {
		const worker = new N8nInstance(environment.postgres.connection('n8n'));
		workers.push(worker);
		await stage(`install both packages on worker ${w + 1}`, () =>
			installCommunityPackages(worker.userFolder, environment.tarballs),
		);
		running.push(
			await stage(`n8n worker ${w + 1}`, () =>
				worker.startWorker({
					env: { ...queue, N8N_LOG_LEVEL: 'info' },
					log: !!process.env.KEYPILOT_E2E_LOG,
				}),
			),
		);
	}
	await stage('webhook registered', () =>
		waitForWebhook(`${main.url}/webhook/parts/v1/chat/completions`),
	);
	await stage('trigger webhooks registered', () =>
		waitForWebhook(`${main.url}/webhook/v1/chat/completions`),
	);
});

afterAll(async () => {
	for (const process of running.reverse()) await process.stop();
	for (const worker of workers) worker.cleanup();
	await Promise.all([upstream.stop(), anthropic.stop(), receiver.stop()]);
	await redis.stop();
	await environment?.stop();
});

describe('the metered gateway in n8n queue mode (main + 2 workers, Redis)', () => {
	it(`never exceeds a quota that fits ${FITS} of ${REQUESTS} concurrent requests' bounds, and charges every served one`, async () => {
		const [{ token, token_hash }] = await environment.postgres.query<{
			token: string;
			token_hash: string;
		}>(
			'keypilot',
			`SELECT * FROM keypilot_mint_token('queue-test', '{gateway}', '{}', '{}', 'stand-in')`,
		);
		await environment.postgres.query(
			'keypilot',
			`INSERT INTO llm_quotas (subject_type, subject_id, quota_type, limit_amount) VALUES ('token_hash', $1, 'tokens', $2)`,
			[token_hash, FITS * RESERVED_PER_REQUEST],
		);
		const statuses = await stage(`${REQUESTS} concurrent requests`, () =>
			Promise.all(
				Array.from({ length: REQUESTS }, async (_, n) => {
					const response = await fetch(`${main.url}/webhook/parts/v1/chat/completions`, {
						method: 'POST',
						headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
						body: JSON.stringify(requestBody(n)),
					});
					const body = await response.text();
					return {
						status: response.status,
						code:
							response.status === 429
								? (JSON.parse(body) as { error: { code: string } }).error.code
								: undefined,
					};
				}),
			),
		);
		// Each request holds its proven bound until its usage is settled (before its answer), so at
		// least FITS fit; settlements give back the unused part of the bound, which lets more in.
		const served = statuses.filter((s) => s.status === 200).length;
		expect(served).toBeGreaterThanOrEqual(FITS);
		expect(served).toBeLessThan(REQUESTS);
		expect(
			statuses.filter((s) => s.status === 429 && s.code === 'API_KEY_QUOTA_EXHAUSTED'),
		).toHaveLength(REQUESTS - served);

		let state: { rows: string; tokens: string | null; used: string; reserved: string } | undefined;
		for (let i = 0; i < 150; i++) {
			[state] = await environment.postgres.query<{
				rows: string;
				tokens: string | null;
				used: string;
				reserved: string;
			}>(
				'keypilot',
				`SELECT (SELECT count(*) FROM llm_usage_log WHERE key_hash = $1)::text AS rows,
				        (SELECT sum(total_tokens) FROM llm_usage_log WHERE key_hash = $1)::text AS tokens,
				        q.used::text AS used, q.reserved::text AS reserved
				   FROM llm_quotas q WHERE q.subject_id = $1`,
				[token_hash],
			);
			if (Number(state.rows) >= served && Number(state.reserved) === 0) break;
			await new Promise((resolve) => setTimeout(resolve, 200));
		}
		// Charged exactly what the upstream billed for the requests it served, within the limit.
		const billed = upstream.billed.reduce((sum, answer) => sum + answer.total_tokens, 0);
		expect(state).toEqual({
			rows: String(served),
			tokens: String(billed),
			used: String(billed),
			reserved: '0',
		});
		expect(billed).toBeLessThanOrEqual(FITS * RESERVED_PER_REQUEST);
		expect(upstream.requests.filter((r) => r.path === '/v1/chat/completions')).toHaveLength(served);
	});

	it(`holds layered budgets on two workers: ${REQUESTS} requests from 20 tokens in 4 teams in 1 organization, no layer over its limit, every refusal naming a layer it did not fit`, async () => {
		const R = RESERVED_PER_REQUEST;
		const tokens = await environment.postgres.query<{ token: string; token_hash: string }>(
			'keypilot',
			`SELECT m.* FROM generate_series(0, 19) n,
			        LATERAL keypilot_mint_token('layered-' || n, '{gateway}', '{}', '{}', 'stand-in') m`,
		);
		// Team 0's tokens are held by their own budgets, team 1 by the team's, teams 2 and 3 by the
		// organization's: each kind of layer binds somewhere.
		const limits: Array<[string, string, number]> = [
			['organization', 'layered-org', 60 * R],
			['team', 'layered-1', 12 * R],
		];
		for (let t = 0; t < 4; t++) limits.push(['team', `layered-${t}`, 0]);
		for (const [i, { token_hash }] of tokens.entries()) {
			if (i < 5) limits.push(['token_hash', token_hash, 3 * R]);
		}
		await environment.postgres.query(
			'keypilot',
			`INSERT INTO llm_quotas (subject_type, subject_id, quota_type, limit_amount)
			 SELECT * FROM jsonb_to_recordset($1::jsonb) AS l (subject_type text, subject_id text, quota_type text, limit_amount numeric)
			 ON CONFLICT (subject_type, subject_id, models, kind) DO NOTHING;
			 INSERT INTO llm_quota_parents (subject_type, subject_id, parent_type, parent_id)
			 SELECT * FROM jsonb_to_recordset($2::jsonb) AS p (subject_type text, subject_id text, parent_type text, parent_id text)`
				.replace(
					/\$1::jsonb/,
					`'${JSON.stringify(
						limits.map(([subject_type, subject_id, limit_amount]) => ({
							subject_type,
							subject_id,
							quota_type: 'tokens',
							limit_amount,
						})),
					)}'::jsonb`,
				)
				.replace(
					/\$2::jsonb/,
					`'${JSON.stringify([
						...tokens.map(({ token_hash }, i) => ({
							subject_type: 'token_hash',
							subject_id: token_hash,
							parent_type: 'team',
							parent_id: `layered-${Math.floor(i / 5)}`,
						})),
						...[0, 1, 2, 3].map((t) => ({
							subject_type: 'team',
							subject_id: `layered-${t}`,
							parent_type: 'organization',
							parent_id: 'layered-org',
						})),
					])}'::jsonb`,
				),
		);
		const billedBefore = upstream.billed.length;
		const answers = await stage(`${REQUESTS} concurrent layered requests`, () =>
			Promise.all(
				Array.from({ length: REQUESTS }, async (_, n) => {
					const response = await fetch(`${main.url}/webhook/parts/v1/chat/completions`, {
						method: 'POST',
						headers: {
							authorization: `Bearer ${tokens[n % 20].token}`,
							'content-type': 'application/json',
						},
						body: JSON.stringify(requestBody(n)),
					});
					const body = (await response.json()) as { error?: { code: string; message: string } };
					return { status: response.status, scope: response.headers.get('x-quota-scope'), body };
				}),
			),
		);
		expect(answers.filter((a) => a.status !== 200 && a.status !== 429)).toEqual([]);
		const refused = answers.filter((a) => a.status === 429);
		for (const a of refused) {
			expect(a.body.error?.code).toBe('API_KEY_QUOTA_EXHAUSTED');
			expect(a.body.error?.message).toContain(`Quota exhausted on ${a.scope}:`);
		}
		expect(new Set(refused.map((a) => a.scope!.split(':')[0]))).toEqual(
			new Set(['token_hash', 'team', 'organization']),
		);
		const served = answers.length - refused.length;
		expect(upstream.billed.length - billedBefore).toBe(served);

		// Once every request has settled: no layer over its limit, and each holds exactly what its
		// tokens used.
		const layers = async () =>
			await environment.postgres.query<{
				subject_type: string;
				subject_id: string;
				limit_amount: string;
				used: string;
				reserved: string;
			}>(
				'keypilot',
				`SELECT subject_type, subject_id, limit_amount::text, used::text, reserved::text
				   FROM llm_quotas WHERE subject_id LIKE 'layered-%' OR subject_id = ANY($1)`,
				[tokens.map((t) => t.token_hash)],
			);
		let rows = await layers();
		for (let i = 0; i < 150 && rows.some((row) => row.reserved !== '0'); i++) {
			await new Promise((resolve) => setTimeout(resolve, 200));
			rows = await layers();
		}
		expect(rows.filter((row) => row.reserved !== '0')).toEqual([]);
		const used = (id: string) => BigInt(rows.find((row) => row.subject_id === id)!.used);
		for (const row of rows) {
			if (row.limit_amount !== '0') {
				expect(BigInt(row.used)).toBeLessThanOrEqual(BigInt(row.limit_amount));
			}
		}
		const [{ logged }] = await environment.postgres.query<{ logged: string }>(
			'keypilot',
			`SELECT COALESCE(sum(total_tokens), 0)::text AS logged FROM llm_usage_log WHERE key_hash = ANY($1)`,
			[tokens.map((t) => t.token_hash)],
		);
		expect(used('layered-org')).toBe(BigInt(logged));
		expect([0, 1, 2, 3].reduce((sum, t) => sum + used(`layered-${t}`), 0n)).toBe(BigInt(logged));
	});

	it(`serves ${REQUESTS} mixed-route requests through the Gateway trigger on a quota worth ${FITS}: never over it, every served one logged, the alert told once through a worker`, async () => {
		const mint = (name: string, upstream: string) =>
			mintGatewayToken(environment, name, { upstream });
		const openai = await mint('queue-mixed-openai', 'stand-in');
		const claude = await mint('queue-mixed-claude', 'claude');
		// One quota for both tokens: the Anthropic token's quota is the OpenAI token's.
		const worth = MIXED.reduce((sum, route) => sum + totalTokenBound(route.bound(route.body)), 0);
		const limit = (FITS / MIXED.length) * worth;
		await environment.postgres.query(
			'keypilot',
			`INSERT INTO llm_quotas (subject_type, subject_id, quota_type, limit_amount) VALUES ('token_hash', $1, 'tokens', $2)`,
			[openai.token_hash, limit],
		);
		await environment.postgres.query(
			'keypilot',
			`INSERT INTO llm_quota_aliases (subject_type, subject_id, target_type, target_id) VALUES ('token_hash', $1, 'token_hash', $2)`,
			[claude.token_hash, openai.token_hash],
		);
		const billedBefore =
			upstream.billed.reduce((sum, answer) => sum + answer.total_tokens, 0) +
			anthropic.billed.reduce((sum, answer) => sum + answer.input + answer.output, 0);

		const statuses = await stage(`${REQUESTS} concurrent mixed-route requests`, () =>
			Promise.all(
				Array.from({ length: REQUESTS }, async (_, n) => {
					const route = MIXED[n % MIXED.length];
					const token = route.api === 'anthropic' ? claude.token : openai.token;
					const response = await fetch(`${main.url}/webhook/v1/${route.path}`, {
						method: 'POST',
						headers: {
							...(route.api === 'anthropic'
								? { 'x-api-key': token, 'anthropic-version': '2023-06-01' }
								: { authorization: `Bearer ${token}` }),
							'content-type': 'application/json',
						},
						body: JSON.stringify(route.body),
					});
					await response.arrayBuffer();
					return response.status;
				}),
			),
		);
		const served = statuses.filter((status) => status === 200).length;
		expect(statuses.filter((status) => status !== 200 && status !== 429)).toEqual([]);
		// A request is refused only when what is held leaves less than its bound free, and no request
		// holds more than the largest bound: at least limit / largest bound were admitted.
		const largest = Math.max(...MIXED.map((route) => totalTokenBound(route.bound(route.body))));
		expect(served).toBeGreaterThanOrEqual(Math.floor(limit / largest));
		expect(served).toBeLessThan(REQUESTS);

		const state = async () =>
			(
				await environment.postgres.query<{ rows: string; used: string; reserved: string }>(
					'keypilot',
					`SELECT (SELECT count(*) FROM llm_usage_log WHERE key_hash IN ($1, $2))::text AS rows,
					        q.used::text AS used, q.reserved::text AS reserved
					   FROM llm_quotas q WHERE q.subject_id = $1`,
					[openai.token_hash, claude.token_hash],
				)
			)[0];
		let now = await state();
		for (let i = 0; i < 150 && (Number(now.rows) < served || now.reserved !== '0'); i++) {
			await new Promise((resolve) => setTimeout(resolve, 200));
			now = await state();
		}
		const billed =
			upstream.billed.reduce((sum, answer) => sum + answer.total_tokens, 0) +
			anthropic.billed.reduce((sum, answer) => sum + answer.input + answer.output, 0) -
			billedBefore;
		expect(now).toEqual({ rows: String(served), used: String(billed), reserved: '0' });
		expect(billed).toBeLessThanOrEqual(limit);

		// The quota ran out: told once, by an execution a worker ran for the trigger in main.
		const deadline = Date.now() + 30_000;
		const exhausted = () =>
			receiver.requests
				.map((request) => JSON.parse(request.body) as Record<string, unknown>)
				.filter((alert) => alert.event === 'quota_exhausted');
		while (!exhausted().length && Date.now() < deadline) {
			await new Promise((resolve) => setTimeout(resolve, 200));
		}
		await new Promise((resolve) => setTimeout(resolve, 1000));
		expect(exhausted()).toEqual([
			expect.objectContaining({ subject_id: openai.token_hash, quota_limit: limit }),
		]);
	});
});
