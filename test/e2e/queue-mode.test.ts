import { workflowCredentials } from './harness/credentials';
import {
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
import { boundChatRequest, totalTokenBound } from '../../packages/ledger/core/usage/requestBound';

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
const redis = new TestRedis();
const gateway = readWorkflow('gateway-from-parts.json');
let environment: Environment;
const workers: N8nInstance[] = [];
const running: RunningN8n[] = [];
let main: RunningN8n;

beforeAll(async () => {
	await upstream.start();
	await redis.start();
	environment = await startEnvironment({
		credentials: (postgres) =>
			workflowCredentials({ postgres, database: 'keypilot', upstream: { apiKey: UPSTREAM_KEY } }),
		workflows: [gateway],
	});
	await registerUpstream(environment, 'stand-in', `${upstream.url}/v1`);
	await environment.n8n.publish(gateway.id);
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
});

afterAll(async () => {
	for (const process of running.reverse()) await process.stop();
	for (const worker of workers) worker.cleanup();
	await upstream.stop();
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
});
