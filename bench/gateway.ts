/**
 * The metered gateway, as the KeyPilot Gateway trigger and as the workflow, against the simplest
 * n8n proxy that does the same job without metering (Webhook → HTTP Request → Respond to
 * Webhook, with the same OpenAI credential) and against a direct Node.js http pass-through with
 * no n8n at all; one real n8n 2.41.1 with both packages installed as n8n installs them, the same
 * local upstream, request and concurrency, interleaved rounds. Prints requests/s and p50/p99
 * latency of each and the ratios. Targets: the trigger at least 1.0x the bare n8n proxy, the
 * workflow at least 0.5x.
 */
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';

import { workflowCredentials } from '../test/e2e/harness/credentials';
import { readWorkflow, registerUpstream, startEnvironment } from '../test/e2e/harness/environment';
import { gatewayTriggerWorkflow } from '../test/e2e/harness/gatewayTrigger';
import { waitForWebhook } from '../test/e2e/harness/n8n';
import { chatStandIn, UPSTREAM_KEY } from '../test/e2e/standins/chat';

const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8);
const PER_ROUND = Number(process.env.BENCH_REQUESTS ?? 300);
const ROUNDS = 3;

type Node = { name: string; type: string; parameters: Record<string, unknown> } & Record<
	string,
	unknown
>;

/** Webhook → HTTP Request → Respond, built from the gateway's own nodes so versions match. */
function bareProxy(gateway: { nodes: Node[] }, upstreamUrl: string) {
	const pick = (name: string) => structuredClone(gateway.nodes.find((n) => n.name === name)!);
	const webhook = pick('Gateway');
	webhook.name = 'Webhook';
	webhook.webhookId = '2c7d9e10-5b3a-4f6e-8d21-9a0b1c2d3e4f';
	webhook.parameters = { ...webhook.parameters, path: 'bare/v1/chat/completions' };
	const call = pick('Call Provider');
	call.name = 'HTTP Request';
	delete call.onError;
	call.parameters = {
		...call.parameters,
		url: `${upstreamUrl}/chat/completions`,
		jsonBody: '={{ JSON.stringify($json.body) }}',
	};
	const respond = pick('Respond');
	respond.parameters = {
		respondWith: 'text',
		responseBody: '={{ $json.body }}',
		options: {
			responseCode: '={{ $json.statusCode }}',
			responseHeaders: {
				entries: [
					{
						name: 'Content-Type',
						value: "={{ $json.headers['content-type'] ?? 'application/json' }}",
					},
				],
			},
		},
	};
	return {
		id: 'kpBenchBareProxy',
		name: 'Bare proxy (benchmark baseline)',
		nodes: [webhook, call, respond],
		connections: {
			Webhook: { main: [[{ node: 'HTTP Request', type: 'main', index: 0 }]] },
			'HTTP Request': { main: [[{ node: 'Respond', type: 'main', index: 0 }]] },
		},
		settings: (gateway as { settings?: object }).settings,
		active: false,
	};
}

/** The least any proxy does: a Node.js http server that forwards the body and pipes the answer. */
async function directPassThrough(upstreamUrl: string): Promise<{ server: Server; url: string }> {
	const target = new URL(`${upstreamUrl}/chat/completions`);
	const server = createServer((req, res) => {
		const forward = httpRequest(
			target,
			{
				method: 'POST',
				headers: {
					'content-type': 'application/json',
					authorization: `Bearer ${UPSTREAM_KEY}`,
				},
			},
			(answer) => {
				res.writeHead(answer.statusCode ?? 502, answer.headers);
				answer.pipe(res);
			},
		);
		req.pipe(forward);
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	return { server, url: `http://127.0.0.1:${port}/v1/chat/completions` };
}

async function measure(url: string, token: string) {
	const latencies: number[] = [];
	let next = 0;
	let failed = 0;
	const started = performance.now();
	await Promise.all(
		Array.from({ length: CONCURRENCY }, async () => {
			while (next < PER_ROUND) {
				const n = next++;
				const t = performance.now();
				const response = await fetch(url, {
					method: 'POST',
					headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
					body: JSON.stringify({
						model: 'gpt-4o-mini',
						max_tokens: 20,
						messages: [{ role: 'user', content: `benchmark request ${n}` }],
					}),
				});
				await response.text();
				if (response.status !== 200) failed++;
				latencies.push(performance.now() - t);
			}
		}),
	);
	if (failed) throw new Error(`${failed} requests failed`);
	return { perSecond: PER_ROUND / ((performance.now() - started) / 1000), latencies };
}

function percentile(values: number[], p: number): number {
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function main(): Promise<void> {
	const upstream = chatStandIn();
	await upstream.start();
	const gateway = readWorkflow('metered-gateway.json') as unknown as { id: string; nodes: Node[] };
	const bare = bareProxy(gateway, `${upstream.url}/v1`);
	const trigger = gatewayTriggerWorkflow('trigger/v1');
	const direct = await directPassThrough(`${upstream.url}/v1`);
	const environment = await startEnvironment({
		credentials: (postgres) =>
			workflowCredentials({ postgres, database: 'keypilot', upstream: { apiKey: UPSTREAM_KEY } }),
		workflows: [gateway, bare, trigger],
	});
	try {
		await registerUpstream(environment, 'bench', `${upstream.url}/v1`);
		const [{ token, token_hash }] = await environment.postgres.query<{
			token: string;
			token_hash: string;
		}>('keypilot', `SELECT * FROM keypilot_mint_token('bench', '{gateway}', '{}', '{}', 'bench')`);
		// A quota that never runs out: the figures are the metering's cost, not refusals.
		await environment.postgres.query(
			'keypilot',
			`INSERT INTO llm_quotas (subject_type, subject_id, quota_type, limit_amount) VALUES ('token_hash', $1, 'tokens', 0)`,
			[token_hash],
		);
		await environment.n8n.publish(gateway.id);
		await environment.n8n.publish(bare.id);
		await environment.n8n.publish(trigger.id);
		const n8n = await environment.n8n.start();
		try {
			const gatewayUrl = `${n8n.url}/webhook/v1/chat/completions`;
			const bareUrl = `${n8n.url}/webhook/bare/v1/chat/completions`;
			const triggerUrl = `${n8n.url}/webhook/trigger/v1/chat/completions`;
			const urls = { trigger: triggerUrl, gateway: gatewayUrl, bare: bareUrl, direct: direct.url };
			for (const url of Object.values(urls)) {
				if (url !== direct.url) await waitForWebhook(url);
				await measure(url, token);
			}
			const runs = Object.fromEntries(
				Object.keys(urls).map((name) => [name, [] as Awaited<ReturnType<typeof measure>>[]]),
			) as Record<keyof typeof urls, Awaited<ReturnType<typeof measure>>[]>;
			for (let round = 0; round < ROUNDS; round++) {
				for (const [name, url] of Object.entries(urls) as Array<[keyof typeof urls, string]>)
					runs[name].push(await measure(url, token));
			}
			const summary = (list: Awaited<ReturnType<typeof measure>>[]) => {
				const rates = list.map((r) => r.perSecond).sort((a, b) => a - b);
				const latencies = list.flatMap((r) => r.latencies);
				return {
					rate: rates[Math.floor(rates.length / 2)],
					p50: percentile(latencies, 50),
					p99: percentile(latencies, 99),
				};
			};
			const t = summary(runs.trigger);
			const g = summary(runs.gateway);
			const b = summary(runs.bare);
			const d = summary(runs.direct);
			console.log(
				`Gateway vs bare n8n proxy and a direct pass-through, ${PER_ROUND} requests x ${ROUNDS} rounds, concurrency ${CONCURRENCY}, n8n defaults, local upstream, median round`,
			);
			const line = (name: string, s: typeof g) =>
				`${name.padEnd(40)} ${s.rate.toFixed(1).padStart(7)}/s   p50 ${s.p50.toFixed(1)} ms   p99 ${s.p99.toFixed(1)} ms`;
			console.log(line('metered gateway (KeyPilot Gateway trigger)', t));
			console.log(line('metered gateway (workflow)', g));
			console.log(line('bare proxy (Webhook, HTTP, Respond)', b));
			console.log(line('direct Node.js pass-through (no n8n)', d));
			const triggerRatio = t.rate / b.rate;
			const workflowRatio = g.rate / b.rate;
			console.log(
				`trigger vs bare proxy ${triggerRatio.toFixed(2)}x (target: at least 1.00x); workflow vs bare proxy ${workflowRatio.toFixed(2)}x (target: at least 0.50x)`,
			);
			console.log(
				`p50 added over the direct pass-through: trigger ${(t.p50 - d.p50).toFixed(1)} ms, bare proxy ${(b.p50 - d.p50).toFixed(1)} ms`,
			);
			process.exitCode = triggerRatio >= 1 && workflowRatio >= 0.5 ? 0 : 1;
		} finally {
			await n8n.stop();
		}
	} finally {
		await environment.stop();
		await upstream.stop();
		direct.server.close();
	}
}

void main().then(() => process.exit());
