/**
 * workflows/metered-gateway.json in a real n8n: the KeyPilot Gateway trigger serves requests
 * without executions and hands its workflow what a team should hear (refusals of known tokens,
 * provider errors, quota crossings, suspensions), which the workflow posts to the alert channel
 * its Settings name. The caller's token and the provider key never reach an alert.
 */
import OpenAI from 'openai';

import { workflowCredentials } from './harness/credentials';
import {
	mintGatewayToken,
	pointAlertsAt,
	readWorkflow,
	registerUpstream,
	startEnvironment,
	type Environment,
} from './harness/environment';
import { waitForWebhook, type RunningN8n } from './harness/n8n';
import { stage } from './harness/timing';
import { chatStandIn, UPSTREAM_KEY } from './standins/chat';
import { json, StandIn } from './standins/server';

jest.setTimeout(30 * 60 * 1000);

const upstream = chatStandIn();
const receiver = new StandIn((_req, res) => json(res, 200, { ok: true }));
const workflow = readWorkflow('metered-gateway.json') as {
	id: string;
	nodes: Array<{ name: string; parameters: Record<string, unknown> }>;
};
let environment: Environment;
let n8n: RunningN8n;

type Alert = Record<string, unknown> & { event: string; text: string };
const alerts = () => receiver.requests.map((request) => JSON.parse(request.body) as Alert);

/** Waits until the alert channel has received `count` alerts (events travel through Postgres). */
async function alertsAfter(count: number): Promise<Alert[]> {
	const deadline = Date.now() + 30_000;
	while (receiver.requests.length < count && Date.now() < deadline) {
		await new Promise((resolve) => setTimeout(resolve, 100));
	}
	return alerts();
}

const mint = (name: string, quota?: { limit: number; warningPercent?: number }) =>
	mintGatewayToken(environment, name, { quota });

const executions = async () =>
	(
		await environment.postgres.query<{ n: string }>(
			'n8n',
			'SELECT count(*)::text AS n FROM execution_entity',
		)
	)[0].n;

/**
 * Waits until every event was taken and the executions they started have finished (an execution
 * row appears a moment after its events are taken: the count must also hold still).
 */
async function quiet(): Promise<void> {
	const deadline = Date.now() + 30_000;
	let last = '';
	while (Date.now() < deadline) {
		const [state] = await environment.postgres.query<{ n: string; running: string }>(
			'n8n',
			"SELECT count(*)::text AS n, count(*) FILTER (WHERE status IN ('new', 'running'))::text AS running FROM execution_entity",
		);
		const [{ pending }] = await environment.postgres.query<{ pending: string }>(
			'keypilot',
			'SELECT count(*)::text AS pending FROM llm_gateway_events',
		);
		const now = `${state.n}/${state.running}/${pending}`;
		if (now === last && state.running === '0' && pending === '0') return;
		last = now;
		await new Promise((resolve) => setTimeout(resolve, 500));
	}
}

const client = (token: string) =>
	new OpenAI({ apiKey: token, baseURL: `${n8n.url}/webhook/v1`, maxRetries: 0 });

beforeAll(async () => {
	await Promise.all([upstream.start(), receiver.start()]);
	// As a user would: point the Settings node at their own webhook.
	pointAlertsAt(workflow, `${receiver.url}/alerts`);
	environment = await startEnvironment({
		credentials: (postgres) =>
			workflowCredentials({
				postgres,
				database: 'keypilot',
				upstream: { apiKey: UPSTREAM_KEY },
				anthropicUpstream: { apiKey: 'sk-ant-e2eUnusedAnthropicKey' },
			}),
		workflows: [workflow],
	});
	await registerUpstream(environment, 'stand-in', `${upstream.url}/v1`);
	await environment.n8n.publish(workflow.id);
	n8n = await stage('n8n start', () =>
		environment.n8n.start({ log: !!process.env.KEYPILOT_E2E_LOG }),
	);
	await stage('webhook registered', () => waitForWebhook(`${n8n.url}/webhook/v1/chat/completions`));
});

afterAll(async () => {
	await n8n?.stop();
	await Promise.all([upstream.stop(), receiver.stop()]);
	await environment?.stop();
});

describe('workflows/metered-gateway.json in a real n8n', () => {
	it('serves a request without an execution and posts no alert for it', async () => {
		const { token } = await mint('quiet', { limit: 100_000 });
		// The webhook probe above was refused (no token): its event has to be through first.
		await quiet();
		const before = await executions();
		const answer = await client(token).chat.completions.create({
			model: 'gpt-4o-mini',
			max_tokens: 20,
			messages: [{ role: 'user', content: 'hello' }],
		});
		expect(answer.usage?.total_tokens).toBeGreaterThan(0);
		// Time for an event, were there one, to travel through Postgres and start an execution.
		await new Promise((resolve) => setTimeout(resolve, 1500));
		expect({ executions: await executions(), alerts: receiver.requests.length }).toEqual({
			executions: before,
			alerts: 0,
		});
	});

	it('alerts on a refusal of a known token, a provider error, a quota crossing once, and a suspension; never with a token or key', async () => {
		const unknown = 'kp_e2eNoSuchToken0000000000000000000000000000';
		await expect(
			client(unknown).chat.completions.create({
				model: 'gpt-4o-mini',
				max_tokens: 5,
				messages: [{ role: 'user', content: 'hi' }],
			}),
		).rejects.toMatchObject({ status: 401 });

		const warned = await mint('warned', { limit: 1_000, warningPercent: 50 });
		// Reserves its bound (about 560 tokens) at once: past half of 1,000.
		await client(warned.token).chat.completions.create({
			model: 'gpt-4o-mini',
			max_tokens: 500,
			messages: [{ role: 'user', content: 'hi' }],
		});
		// The same crossing again in the same period is not told twice.
		await client(warned.token).chat.completions.create({
			model: 'gpt-4o-mini',
			max_tokens: 10,
			messages: [{ role: 'user', content: 'hi' }],
		});

		const spent = await mint('spent', { limit: 10 });
		await expect(
			client(spent.token).chat.completions.create({
				model: 'gpt-4o-mini',
				max_tokens: 100,
				messages: [{ role: 'user', content: 'hi' }],
			}),
		).rejects.toMatchObject({ status: 429 });

		const failing = await mint('failing', { limit: 100_000 });
		await expect(
			client(failing.token).chat.completions.create({
				model: 'broken',
				max_tokens: 5,
				messages: [{ role: 'user', content: 'hi' }],
			}),
		).rejects.toMatchObject({ status: 500 });

		const limited = await mint('limited', { limit: 100_000 });
		const spent429 = await fetch(`${n8n.url}/webhook/v1/chat/completions`, {
			method: 'POST',
			headers: { authorization: `Bearer ${limited.token}`, 'content-type': 'application/json' },
			body: JSON.stringify({
				model: 'spend-limit',
				max_tokens: 5,
				messages: [{ role: 'user', content: 'hi' }],
			}),
		});
		// As OpenAI sent it, and the official SDKs told not to retry.
		expect(spent429.status).toBe(429);
		expect(spent429.headers.get('x-should-retry')).toBe('false');
		expect(await spent429.json()).toMatchObject({
			error: { code: 'organization_spend_limit_exceeded' },
		});

		const cheated = await mint('cheated', { limit: 1_000_000 });
		await client(cheated.token).responses.create({
			model: 'over-report',
			max_output_tokens: 16,
			input: 'hi',
		});

		const received = await alertsAfter(6);
		// Give a duplicate time to show up if there were one.
		await new Promise((resolve) => setTimeout(resolve, 1500));
		const byEvent = (event: string) => alerts().filter((alert) => alert.event === event);
		expect(alerts()).toHaveLength(received.length);

		expect(byEvent('refused')).toEqual([
			expect.objectContaining({
				status: 429,
				code: 'quota_exhausted',
				token_name: 'spent',
				token_hash: spent.token_hash,
				route: '/v1/chat/completions',
				model: 'gpt-4o-mini',
				text: expect.stringMatching(
					/^Refused token "spent" on \/v1\/chat\/completions \(gpt-4o-mini\): 429 /,
				),
			}),
		]);
		expect(byEvent('quota_warning')).toEqual([
			expect.objectContaining({
				subject_type: 'token_hash',
				subject_id: warned.token_hash,
				quota_type: 'tokens',
				quota_limit: 1000,
				token_name: 'warned',
				text: expect.stringMatching(
					/^Quota warning for token_hash \w+ \(token "warned"\): \d+ of 1000 tokens used$/,
				),
			}),
		]);
		expect(byEvent('quota_exhausted')).toEqual([
			expect.objectContaining({ subject_id: spent.token_hash, quota_limit: 10 }),
		]);
		expect(byEvent('provider_error')).toHaveLength(2);
		expect(byEvent('provider_error')).toEqual(
			expect.arrayContaining([
				expect.objectContaining({
					status: 429,
					token_name: 'limited',
					message: expect.stringMatching(
						/^OpenAI refused the request: the organization's spend limit is reached/,
					),
				}),
				expect.objectContaining({
					status: 500,
					token_name: 'failing',
					upstream: 'stand-in',
					model: 'broken',
					message: expect.stringContaining('The server had an error'),
					text: expect.stringMatching(
						/^Provider error 500 from upstream stand-in for token "failing"/,
					),
				}),
			]),
		);
		expect(byEvent('suspended')).toEqual([
			expect.objectContaining({
				token_name: 'cheated',
				token_hash: cheated.token_hash,
				route: '/v1/responses',
				reported_tokens: expect.any(Number),
				bound_tokens: expect.any(Number),
				subject: 'LLM gateway token suspended: cheated',
			}),
		]);
		const suspended = byEvent('suspended')[0];
		expect(Number(suspended.reported_tokens)).toBeGreaterThan(Number(suspended.bound_tokens));

		const everything = receiver.requests.map((request) => request.body).join('\n');
		for (const secret of [
			unknown,
			warned.token,
			spent.token,
			failing.token,
			cheated.token,
			UPSTREAM_KEY,
		]) {
			expect(everything).not.toContain(secret);
		}
		// Every event was taken: nothing is left behind for a later execution.
		const [{ n }] = await environment.postgres.query<{ n: string }>(
			'keypilot',
			'SELECT count(*)::text AS n FROM llm_gateway_events',
		);
		expect(n).toBe('0');
	});
});
