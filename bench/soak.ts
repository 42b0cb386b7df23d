/**
 * Soak: mixed gateway traffic for a bounded time in n8n queue mode (main + 2 workers, Redis, the
 * ledger on a PostgreSQL of its own), with the ledger's PostgreSQL restarted and a worker killed
 * (SIGKILL) in the middle. 100 tokens, 80 on an OpenAI stand-in and 20 on an Anthropic one, in
 * 10 teams of one organization, some on tight budgets; each request goes to the KeyPilot Gateway
 * trigger (Chat Completions, streamed or not, or Messages, answered by main) or to the composed
 * gateway workflow (run by the workers).
 *
 * Prints requests served and how every other one ended, usage rows lost (a call the stand-in
 * billed that has neither its own usage row nor a reservation charged in full for its token:
 * must be 0), provider calls made twice (must be 0), the highest used/limit over every budget
 * (must be at most 1) and p50/p99 of served requests, for the trigger and for the workflow. `npm run bench -- soak` runs 3 minutes at
 * concurrency 64; `test/e2e/soak.test.ts` runs a short variant.
 */
import { performance } from 'node:perf_hooks';

import { workflowCredentials } from '../test/e2e/harness/credentials';
import { readWorkflow, startEnvironment, type Environment } from '../test/e2e/harness/environment';
import { composedGatewayCopy } from '../test/e2e/harness/gateway';
import { gatewayTriggerWorkflow } from '../test/e2e/harness/gatewayTrigger';
import {
	installCommunityPackages,
	N8nInstance,
	waitForWebhook,
	type RunningN8n,
} from '../test/e2e/harness/n8n';
import { TestRedis } from '../test/e2e/harness/redis';
import { stage } from '../test/e2e/harness/timing';
import { chatStandIn, UPSTREAM_KEY } from '../test/e2e/standins/chat';
import { ANTHROPIC_UPSTREAM_KEY, messagesStandIn } from '../test/e2e/standins/messages';
import { TestPostgres } from '../test/helpers/postgres';

export interface SoakOptions {
	/** How long traffic runs; the restart comes at a third of it, the kill at two thirds. */
	seconds: number;
	concurrency: number;
	/** Seconds a provider call may take: reservations expire a minute after that. */
	upstreamTimeout?: number;
	/** Seconds a client waits for an answer (120 when absent). */
	clientTimeout?: number;
}

export interface SoakFigures {
	sent: number;
	served: number;
	/** Answers other than 200, by status and error code. */
	endings: Record<string, number>;
	/** Calls the stand-ins billed. */
	billed: number;
	lost: number;
	/** Provider calls that came twice (a request run again). */
	repeated: number;
	/** Reservations charged in full because nothing settled them (the outage, the kill). */
	chargedInFull: number;
	maxUsedOverLimit: { ratio: string; subject: string };
	/** Reserved amounts left on any quota once everything has ended. */
	reservedLeft: string;
	/** Milliseconds for served requests: the trigger answers on main, the workflow on the workers. */
	latency: { trigger: { p50: number; p99: number }; workflow: { p50: number; p99: number } };
}

const TOKENS = 100;
const ANTHROPIC_FROM = 80;
const TEAMS = 10;
const MAX_TOKENS = 16;

type Route = 'chat' | 'stream' | 'messages' | 'composed';

/** A small seeded generator, so that two runs send the same mix. */
function random(seed: number) {
	let state = seed >>> 0;
	return () => {
		state = (state + 0x6d2b79f5) >>> 0;
		let t = state;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

function request(
	route: Route,
	token: string,
	user: string,
	n: number,
): { path: string; headers: Record<string, string>; body: object } {
	const content = `${user} request ${n}`;
	if (route === 'messages') {
		return {
			path: 'v1/messages',
			headers: { 'x-api-key': token, 'anthropic-version': '2023-06-01' },
			body: {
				model: 'claude-sonnet-4-5',
				max_tokens: MAX_TOKENS,
				metadata: { user_id: user },
				messages: [{ role: 'user', content }],
			},
		};
	}
	return {
		path: route === 'composed' ? 'soak/v1/chat/completions' : 'v1/chat/completions',
		headers: { authorization: `Bearer ${token}` },
		body: {
			model: 'gpt-4o-mini',
			max_tokens: MAX_TOKENS,
			user,
			messages: [{ role: 'user', content }],
			...(route === 'stream' ? { stream: true, stream_options: { include_usage: true } } : {}),
		},
	};
}

function percentiles(values: number[]) {
	const sorted = [...values].sort((a, b) => a - b);
	const at = (p: number) =>
		sorted.length
			? Math.round(sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))])
			: 0;
	return { p50: at(50), p99: at(99) };
}

export async function soak(options: SoakOptions): Promise<SoakFigures> {
	const upstreamTimeout = options.upstreamTimeout ?? 5;
	const chat = chatStandIn();
	const claude = messagesStandIn();
	const redis = new TestRedis();
	const ledger = new TestPostgres();
	const trigger = gatewayTriggerWorkflow('v1', { anthropic: true });
	(trigger.nodes[0].parameters as Record<string, unknown>).upstreamTimeout = upstreamTimeout;
	const composed = composedGatewayCopy({
		id: 'kpGatewaySoak001',
		name: 'Metered gateway (soak)',
		path: 'soak/v1/chat/completions',
		timeoutSeconds: upstreamTimeout,
	});
	const sweep = readWorkflow('reservation-sweep.json');
	const running: RunningN8n[] = [];
	const workers: N8nInstance[] = [];
	let environment: Environment | undefined;
	try {
		await Promise.all([chat.start(), claude.start(), redis.start()]);
		await stage('start the ledger PostgreSQL', async () => {
			await ledger.start();
			await ledger.createDatabase('keypilot');
			await ledger.setUpLedger('keypilot');
			await ledger.query(
				'keypilot',
				'INSERT INTO llm_upstreams (name, url, api) VALUES ($1, $2, $3), ($4, $5, $6)',
				['stand-in', `${chat.url}/v1`, 'openai', 'claude', `${claude.url}/v1`, 'anthropic'],
			);
		});
		environment = await startEnvironment({
			credentials: () =>
				workflowCredentials({
					postgres: ledger,
					database: 'keypilot',
					upstream: { apiKey: UPSTREAM_KEY },
					anthropicUpstream: { apiKey: ANTHROPIC_UPSTREAM_KEY },
				}),
			workflows: [composed, trigger, sweep],
		});
		for (const workflow of [composed, trigger, sweep]) await environment.n8n.publish(workflow.id);
		const queue = {
			EXECUTIONS_MODE: 'queue',
			QUEUE_BULL_REDIS_HOST: '127.0.0.1',
			QUEUE_BULL_REDIS_PORT: String(redis.port),
			N8N_EXPRESSION_ENGINE_LAZY_ACQUIRE: 'true',
		};
		const main = await stage('n8n main (queue mode)', () => environment!.n8n.start({ env: queue }));
		running.push(main);
		const startWorker = async (instance: N8nInstance) =>
			await instance.startWorker({ env: queue, log: !!process.env.KEYPILOT_E2E_LOG });
		for (let w = 0; w < 2; w++) {
			const worker = new N8nInstance(environment.postgres.connection('n8n'));
			workers.push(worker);
			await stage(`install both packages on worker ${w + 1}`, () =>
				installCommunityPackages(worker.userFolder, environment!.tarballs),
			);
			running.push(await stage(`n8n worker ${w + 1}`, () => startWorker(worker)));
		}
		await stage('webhooks registered', async () => {
			await waitForWebhook(`${main.url}/webhook/soak/v1/chat/completions`);
			await waitForWebhook(`${main.url}/webhook/v1/chat/completions`);
		});

		const tokens = await stage(`${TOKENS} tokens in ${TEAMS} teams`, () => setUpTokens(ledger));

		// Traffic.
		const next = random(20261206);
		const endings: Record<string, number> = {};
		const latencies = { trigger: [] as number[], workflow: [] as number[] };
		let sent = 0;
		const stopAt = performance.now() + options.seconds * 1000;
		const client = async () => {
			while (performance.now() < stopAt) {
				const i = Math.floor(next() * TOKENS);
				const pick = next();
				const route: Route =
					i >= ANTHROPIC_FROM
						? 'messages'
						: pick < 0.45
							? 'chat'
							: pick < 0.7
								? 'stream'
								: 'composed';
				const n = sent++;
				const { path, headers, body } = request(route, tokens[i].token, `soak-${i}`, n);
				const started = performance.now();
				let ending: string;
				try {
					const response = await fetch(`${main.url}/webhook/${path}`, {
						method: 'POST',
						headers: { ...headers, 'content-type': 'application/json' },
						body: JSON.stringify(body),
						signal: AbortSignal.timeout((options.clientTimeout ?? 120) * 1000),
					});
					const text = await response.text();
					if (response.status === 200) {
						latencies[route === 'composed' ? 'workflow' : 'trigger'].push(
							performance.now() - started,
						);
						continue;
					}
					ending = `${response.status} ${errorCode(text)}`;
				} catch (error) {
					ending = `no answer (${(error as Error).name})`;
				}
				endings[ending] = (endings[ending] ?? 0) + 1;
			}
		};
		const events = (async () => {
			await sleep((options.seconds * 1000) / 3);
			await stage('ledger PostgreSQL restarted', async () => {
				await ledger.pause();
				await sleep(3000);
				await ledger.resume();
			});
			await sleep((options.seconds * 1000) / 3 - 3000);
			running[1].process.kill('SIGKILL');
			process.stdout.write('[soak] worker 1 killed (SIGKILL)\n');
			running[1] = await stage('worker 1 started again', () => startWorker(workers[0]));
		})();
		await stage(`traffic for ${options.seconds} s at concurrency ${options.concurrency}`, () =>
			Promise.all(Array.from({ length: options.concurrency }, client)),
		);
		await events;

		// Everything ends: reservations nobody settled expire and the sweep charges them.
		const reservedLeft = await stage(
			'every reservation ended (the sweep workflow, each minute)',
			async () => {
				const deadline = Date.now() + (upstreamTimeout + 60 + 90) * 1000;
				for (;;) {
					const [{ held, reserved }] = await ledger.query<{ held: string; reserved: string }>(
						'keypilot',
						`SELECT (SELECT count(*) FROM llm_quota_reservations WHERE status = 'held')::text AS held,
					        (SELECT COALESCE(sum(reserved), 0) FROM llm_quotas)::text AS reserved`,
					);
					if ((held === '0' && reserved === '0') || Date.now() > deadline) return reserved;
					await sleep(2000);
				}
			},
		);

		return {
			sent,
			served: latencies.trigger.length + latencies.workflow.length,
			endings,
			...(await account(ledger, tokens, chat, claude)),
			reservedLeft,
			latency: {
				trigger: percentiles(latencies.trigger),
				workflow: percentiles(latencies.workflow),
			},
		};
	} finally {
		for (const process of running.reverse()) await process.stop();
		for (const worker of workers) worker.cleanup();
		await Promise.all([chat.stop(), claude.stop()]);
		await redis.stop();
		await environment?.stop();
		await ledger.stop();
	}
}

function errorCode(text: string): string {
	try {
		const body = JSON.parse(text) as {
			error?: { code?: unknown; type?: unknown };
			message?: unknown;
		};
		return String(body.error?.code ?? body.error?.type ?? body.message ?? '');
	} catch {
		return text.slice(0, 60);
	}
}

async function sleep(ms: number) {
	await new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
}

/**
 * Tokens 0-79 on the OpenAI stand-in, 80-99 on the Anthropic one; token i in team i % 10, every
 * team in one organization. Every fifth token has a budget of about 8 requests, teams 0 and 1
 * one of about 60, the organization one too large to bind.
 */
async function setUpTokens(ledger: TestPostgres) {
	const tokens = await ledger.query<{ token: string; token_hash: string }>(
		'keypilot',
		`SELECT m.* FROM generate_series(0, ${TOKENS - 1}) n,
		        LATERAL keypilot_mint_token('soak-' || n, '{gateway}', '{}', '{}',
		                                    CASE WHEN n >= ${ANTHROPIC_FROM} THEN 'claude' ELSE 'stand-in' END) m
		  ORDER BY n`,
	);
	const perRequest = 40;
	// Two statements in one query take no parameters: the hashes (hex) are written in.
	await ledger.query(
		'keypilot',
		`INSERT INTO llm_quota_parents (subject_type, subject_id, parent_type, parent_id)
		 SELECT 'token_hash', h, 'team', 'soak-team-' || ((i - 1) % ${TEAMS})
		   FROM unnest($1::text[]) WITH ORDINALITY AS t(h, i)
		 UNION ALL
		 SELECT 'team', 'soak-team-' || n, 'organization', 'soak-org' FROM generate_series(0, ${TEAMS - 1}) n;
		 INSERT INTO llm_quotas (subject_type, subject_id, quota_type, limit_amount)
		 SELECT 'token_hash', h, 'tokens', ${8 * perRequest}
		   FROM unnest($1::text[]) WITH ORDINALITY AS t(h, i) WHERE (i - 1) % 5 = 0
		 UNION ALL SELECT 'team', 'soak-team-0', 'tokens', ${60 * perRequest}
		 UNION ALL SELECT 'team', 'soak-team-1', 'tokens', ${60 * perRequest}
		 UNION ALL SELECT 'organization', 'soak-org', 'tokens', 1000000000`.replace(
			/\$1::text\[\]/g,
			`ARRAY[${tokens.map((t) => `'${t.token_hash}'`).join(',')}]::text[]`,
		),
	);
	return tokens;
}

/** What the ledger holds against what the stand-ins billed, token by token. */
async function account(
	ledger: TestPostgres,
	tokens: Array<{ token_hash: string }>,
	chat: ReturnType<typeof chatStandIn>,
	claude: ReturnType<typeof messagesStandIn>,
) {
	const rows = await ledger.query<{ key_hash: string; request_id: string | null }>(
		'keypilot',
		'SELECT key_hash, request_id FROM llm_usage_log WHERE key_hash IS NOT NULL',
	);
	const logged = new Set(rows.map((row) => row.request_id));
	const billed = [...chat.billed, ...claude.billed];
	let lost = 0;
	let chargedInFull = 0;
	for (const [i, { token_hash }] of tokens.entries()) {
		const calls = billed.filter((call) => call.user === `soak-${i}`);
		const own = calls.filter((call) => logged.has(call.id)).length;
		const inFull = rows.filter(
			(row) => row.key_hash === token_hash && row.request_id?.startsWith('reservation:'),
		).length;
		chargedInFull += inFull;
		lost += Math.max(0, calls.length - own - inFull);
	}
	const contents = [...chat.requests, ...claude.requests]
		.filter((r) => r.method === 'POST')
		.map((r) => JSON.stringify((JSON.parse(r.body) as { messages?: unknown }).messages));
	const repeated = contents.length - new Set(contents).size;
	const [max] = await ledger.query<{ ratio: string; subject: string }>(
		'keypilot',
		`SELECT round(used / limit_amount, 4)::text AS ratio, subject_type || ':' || subject_id AS subject
		   FROM llm_quotas WHERE kind = 'budget' AND limit_amount > 0
		  ORDER BY used / limit_amount DESC LIMIT 1`,
	);
	return { billed: billed.length, lost, repeated, chargedInFull, maxUsedOverLimit: max };
}

async function main() {
	const figures = await soak({
		seconds: Number(process.env.SOAK_SECONDS ?? 180),
		concurrency: Number(process.env.SOAK_CONCURRENCY ?? 64),
	});
	console.log(JSON.stringify(figures, null, 2));
	const missed = [
		figures.lost !== 0 && `${figures.lost} usage rows lost`,
		figures.repeated !== 0 && `${figures.repeated} provider calls made twice`,
		Number(figures.maxUsedOverLimit.ratio) > 1 &&
			`${figures.maxUsedOverLimit.subject} over its limit`,
		figures.reservedLeft !== '0' && `${figures.reservedLeft} still reserved`,
	].filter(Boolean);
	console.log(missed.length ? `missed: ${missed.join('; ')}` : 'every target met');
	process.exit(missed.length ? 1 : 0);
}

if (require.main === module) {
	main().catch((error: unknown) => {
		console.error(error);
		process.exit(1);
	});
}
