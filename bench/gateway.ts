/**
 * The metered gateway (the KeyPilot Gateway trigger, and for Chat Completions also the workflow)
 * against the simplest n8n proxy that does the same job without metering (Webhook → HTTP Request
 * → Respond to Webhook, with the same credential) and against a direct Node.js http pass-through
 * with no n8n at all; one real n8n 2.41.1 with both packages installed as n8n installs them, the
 * same local stand-ins, requests and concurrency, interleaved rounds. Run twice: with n8n's
 * defaults, and with the settings the README recommends for gateway processes.
 *
 * Prints requests/s and p50/p99 for Chat Completions and Messages, p50 added latency at
 * concurrency 1 and time to first byte of a stream over the direct pass-through, and the ratios.
 * Targets: with defaults the trigger at least 1.0x the bare proxy (the workflow at least 0.5x);
 * with the gateway settings at least 2x, at most 10 ms added at concurrency 1 and 20 ms added to
 * the first byte.
 */
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';

import { workflowCredentials } from '../test/e2e/harness/credentials';
import { readWorkflow, registerUpstream, startEnvironment } from '../test/e2e/harness/environment';
import { gatewayTriggerWorkflow } from '../test/e2e/harness/gatewayTrigger';
import { waitForWebhook } from '../test/e2e/harness/n8n';
import { chatStandIn, UPSTREAM_KEY } from '../test/e2e/standins/chat';
import { ANTHROPIC_UPSTREAM_KEY, messagesStandIn } from '../test/e2e/standins/messages';

const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8);
const PER_ROUND = Number(process.env.BENCH_REQUESTS ?? 200);
const ROUNDS = 3;
const SINGLE = 60;

/**
 * What the README recommends for processes that serve the gateway: n8n builds an expression
 * sandbox only when an expression is evaluated, and the trigger evaluates none.
 */
export const GATEWAY_SETTINGS: Record<string, string> = {
	N8N_EXPRESSION_ENGINE_LAZY_ACQUIRE: 'true',
};

type Node = { name: string; type: string; parameters: Record<string, unknown> } & Record<
	string,
	unknown
>;

interface Api {
	name: string;
	path: string;
	body: (n: number, stream?: boolean) => object;
	headers: (token: string) => Record<string, string>;
}

const CHAT: Api = {
	name: 'Chat Completions',
	path: 'chat/completions',
	body: (n, stream) => ({
		model: 'gpt-4o-mini',
		max_tokens: 20,
		stream,
		messages: [{ role: 'user', content: `benchmark request ${n}` }],
	}),
	headers: (token) => ({ authorization: `Bearer ${token}` }),
};

const MESSAGES: Api = {
	name: 'Messages',
	path: 'messages',
	body: (n, stream) => ({
		model: 'claude-sonnet-4-5',
		max_tokens: 20,
		stream,
		messages: [{ role: 'user', content: `benchmark request ${n}` }],
	}),
	headers: (token) => ({ 'x-api-key': token, 'anthropic-version': '2023-06-01' }),
};

/** Webhook → HTTP Request → Respond, built from the gateway workflow's own nodes so versions match. */
function bareProxy(
	gateway: { nodes: Node[] },
	id: string,
	path: string,
	upstreamUrl: string,
	credential: 'openAiApi' | 'anthropicApi',
) {
	const pick = (name: string) => structuredClone(gateway.nodes.find((n) => n.name === name)!);
	const webhook = pick('Gateway');
	webhook.name = 'Webhook';
	webhook.webhookId = `2c7d9e10-5b3a-4f6e-8d21-${Buffer.from(path).toString('hex').padEnd(12, '0').slice(0, 12)}`;
	webhook.parameters = { ...webhook.parameters, path };
	const call = pick('Call Provider');
	call.name = 'HTTP Request';
	delete call.onError;
	call.parameters = {
		...call.parameters,
		url: upstreamUrl,
		nodeCredentialType: credential,
		jsonBody: '={{ JSON.stringify($json.body) }}',
		...(credential === 'anthropicApi'
			? {
					sendHeaders: true,
					headerParameters: { parameters: [{ name: 'anthropic-version', value: '2023-06-01' }] },
				}
			: {}),
	};
	if (credential === 'anthropicApi') {
		call.credentials = {
			anthropicApi: { id: 'kpAnthropicGw001', name: 'Anthropic account (gateway upstream)' },
		};
	}
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
		id,
		name: `Bare proxy ${path} (benchmark baseline)`,
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
async function directPassThrough(
	routes: Record<string, { url: string; headers: Record<string, string> }>,
): Promise<{ server: Server; url: string }> {
	const server = createServer((req, res) => {
		const route = Object.entries(routes).find(([path]) => req.url === `/v1/${path}`)?.[1];
		if (!route) {
			res.writeHead(404).end();
			return;
		}
		const forward = httpRequest(
			route.url,
			{ method: 'POST', headers: { 'content-type': 'application/json', ...route.headers } },
			(answer) => {
				res.writeHead(answer.statusCode ?? 502, answer.headers);
				answer.pipe(res);
			},
		);
		req.pipe(forward);
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	return { server, url: `http://127.0.0.1:${port}/v1` };
}

/** `count` requests, `concurrency` at a time; latency is to the last byte, `first` to the first. */
async function measure(
	url: string,
	api: Api,
	token: string,
	count: number,
	concurrency: number,
	stream = false,
) {
	const latencies: number[] = [];
	const first: number[] = [];
	let next = 0;
	let failed = 0;
	const started = performance.now();
	await Promise.all(
		Array.from({ length: concurrency }, async () => {
			while (next < count) {
				const n = next++;
				const t = performance.now();
				const response = await fetch(url, {
					method: 'POST',
					headers: { ...api.headers(token), 'content-type': 'application/json' },
					body: JSON.stringify(api.body(n, stream)),
				});
				const reader = response.body!.getReader();
				let chunk = await reader.read();
				first.push(performance.now() - t);
				while (!chunk.done) chunk = await reader.read();
				if (response.status !== 200) failed++;
				latencies.push(performance.now() - t);
			}
		}),
	);
	if (failed) throw new Error(`${failed} requests to ${url} failed`);
	return { perSecond: count / ((performance.now() - started) / 1000), latencies, first };
}

function percentile(values: number[], p: number): number {
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

type Run = Awaited<ReturnType<typeof measure>>;

function summary(list: Run[]) {
	const rates = list.map((r) => r.perSecond).sort((a, b) => a - b);
	const latencies = list.flatMap((r) => r.latencies);
	return {
		rate: rates[Math.floor(rates.length / 2)],
		p50: percentile(latencies, 50),
		p99: percentile(latencies, 99),
		first: percentile(
			list.flatMap((r) => r.first),
			50,
		),
	};
}

const line = (name: string, s: ReturnType<typeof summary>) =>
	`  ${name.padEnd(44)} ${s.rate.toFixed(1).padStart(7)}/s   p50 ${s.p50.toFixed(1)} ms   p99 ${s.p99.toFixed(1)} ms`;

async function main(): Promise<void> {
	const openai = chatStandIn();
	const anthropic = messagesStandIn();
	await Promise.all([openai.start(), anthropic.start()]);
	const gateway = readWorkflow('gateway-from-parts.json') as unknown as { id: string; nodes: Node[] };
	const bareChat = bareProxy(
		gateway,
		'kpBenchBareChat1',
		'bare/v1/chat/completions',
		`${openai.url}/v1/chat/completions`,
		'openAiApi',
	);
	const bareMessages = bareProxy(
		gateway,
		'kpBenchBareMsgs1',
		'bare/v1/messages',
		`${anthropic.url}/v1/messages`,
		'anthropicApi',
	);
	const trigger = gatewayTriggerWorkflow('trigger/v1', { anthropic: true });
	const direct = await directPassThrough({
		'chat/completions': {
			url: `${openai.url}/v1/chat/completions`,
			headers: { authorization: `Bearer ${UPSTREAM_KEY}` },
		},
		messages: {
			url: `${anthropic.url}/v1/messages`,
			headers: { 'x-api-key': ANTHROPIC_UPSTREAM_KEY, 'anthropic-version': '2023-06-01' },
		},
	});
	const environment = await startEnvironment({
		credentials: (postgres) =>
			workflowCredentials({
				postgres,
				database: 'keypilot',
				upstream: { apiKey: UPSTREAM_KEY },
				anthropicUpstream: { apiKey: ANTHROPIC_UPSTREAM_KEY },
			}),
		workflows: [gateway, bareChat, bareMessages, trigger],
	});
	let met = true;
	try {
		await registerUpstream(environment, 'bench', `${openai.url}/v1`);
		await registerUpstream(environment, 'bench-claude', `${anthropic.url}/v1`, 'anthropic');
		const tokens: Record<string, string> = {};
		for (const upstream of ['bench', 'bench-claude']) {
			const [{ token, token_hash }] = await environment.postgres.query<{
				token: string;
				token_hash: string;
			}>('keypilot', `SELECT * FROM keypilot_mint_token($1, '{gateway}', '{}', '{}', $1)`, [
				upstream,
			]);
			tokens[upstream] = token;
			// A quota that never runs out: the figures are the metering's cost, not refusals.
			await environment.postgres.query(
				'keypilot',
				`INSERT INTO llm_quotas (subject_type, subject_id, quota_type, limit_amount) VALUES ('token_hash', $1, 'tokens', 0)`,
				[token_hash],
			);
		}
		for (const workflow of [gateway, bareChat, bareMessages, trigger])
			await environment.n8n.publish(workflow.id);
		console.log(
			`Gateway vs bare n8n proxy and a direct pass-through: ${PER_ROUND} requests x ${ROUNDS} interleaved rounds at concurrency ${CONCURRENCY} (median round), ${SINGLE} at concurrency 1; local stand-ins`,
		);
		for (const phase of [
			{ label: "n8n's defaults", env: {}, gatewaySettings: false },
			{
				label: `gateway settings (${Object.entries(GATEWAY_SETTINGS)
					.map(([k, v]) => `${k}=${v}`)
					.join(' ')})`,
				env: GATEWAY_SETTINGS,
				gatewaySettings: true,
			},
		]) {
			const n8n = await environment.n8n.start({ env: phase.env });
			try {
				const at = (path: string) => `${n8n.url}/webhook/${path}`;
				const chatTargets = {
					trigger: at('trigger/v1/chat/completions'),
					...(phase.gatewaySettings ? {} : { workflow: at('parts/v1/chat/completions') }),
					bare: at('bare/v1/chat/completions'),
					direct: `${direct.url}/chat/completions`,
				};
				const messageTargets = {
					trigger: at('trigger/v1/messages'),
					bare: at('bare/v1/messages'),
					direct: `${direct.url}/messages`,
				};
				for (const url of [...Object.values(chatTargets), ...Object.values(messageTargets)])
					if (!url.startsWith(direct.url)) await waitForWebhook(url);
				console.log(`\n${phase.label}`);
				const results: Record<string, Record<string, ReturnType<typeof summary>>> = {};
				for (const [api, targets, token] of [
					[CHAT, chatTargets, tokens.bench],
					[MESSAGES, messageTargets, tokens['bench-claude']],
				] as Array<[Api, Record<string, string>, string]>) {
					for (const url of Object.values(targets)) await measure(url, api, token, 20, CONCURRENCY);
					const runs: Record<string, Run[]> = Object.fromEntries(
						Object.keys(targets).map((k) => [k, []]),
					);
					for (let round = 0; round < ROUNDS; round++)
						for (const [name, url] of Object.entries(targets))
							runs[name].push(await measure(url, api, token, PER_ROUND, CONCURRENCY));
					results[api.name] = Object.fromEntries(
						Object.entries(runs).map(([k, v]) => [k, summary(v)]),
					);
					console.log(`${api.name}, concurrency ${CONCURRENCY}:`);
					const names: Record<string, string> = {
						trigger: 'metered gateway (KeyPilot Gateway trigger)',
						workflow: 'metered gateway (workflow)',
						bare: 'bare proxy (Webhook, HTTP Request, Respond)',
						direct: 'direct Node.js pass-through (no n8n)',
					};
					for (const [name, s] of Object.entries(results[api.name]))
						console.log(line(names[name], s));
				}
				const single = {
					trigger: summary([await measure(chatTargets.trigger, CHAT, tokens.bench, SINGLE, 1)]),
					direct: summary([await measure(chatTargets.direct, CHAT, tokens.bench, SINGLE, 1)]),
				};
				const streamed = {
					trigger: summary([
						await measure(chatTargets.trigger, CHAT, tokens.bench, SINGLE, 1, true),
					]),
					direct: summary([await measure(chatTargets.direct, CHAT, tokens.bench, SINGLE, 1, true)]),
				};
				const chatRatio = results[CHAT.name].trigger.rate / results[CHAT.name].bare.rate;
				const messagesRatio =
					results[MESSAGES.name].trigger.rate / results[MESSAGES.name].bare.rate;
				const added = single.trigger.p50 - single.direct.p50;
				const firstAdded = streamed.trigger.first - streamed.direct.first;
				const want = phase.gatewaySettings ? 2 : 1;
				console.log(
					`trigger vs bare proxy: Chat Completions ${chatRatio.toFixed(2)}x, Messages ${messagesRatio.toFixed(2)}x (target: at least ${want.toFixed(2)}x)`,
				);
				if (!phase.gatewaySettings) {
					const workflowRatio = results[CHAT.name].workflow.rate / results[CHAT.name].bare.rate;
					console.log(
						`workflow vs bare proxy: ${workflowRatio.toFixed(2)}x (target: at least 0.50x)`,
					);
					met &&= workflowRatio >= 0.5;
				}
				console.log(
					`concurrency 1: p50 ${single.trigger.p50.toFixed(1)} ms against ${single.direct.p50.toFixed(1)} ms direct, ${added.toFixed(1)} ms added${phase.gatewaySettings ? ' (target: at most 10 ms)' : ''}`,
				);
				console.log(
					`stream, first byte: p50 ${streamed.trigger.first.toFixed(1)} ms against ${streamed.direct.first.toFixed(1)} ms direct, ${firstAdded.toFixed(1)} ms added${phase.gatewaySettings ? ' (target: at most 20 ms)' : ''}`,
				);
				met &&= chatRatio >= want && messagesRatio >= want;
				if (phase.gatewaySettings) met &&= added <= 10 && firstAdded <= 20;
			} finally {
				await n8n.stop();
			}
		}
	} finally {
		await environment.stop();
		await Promise.all([openai.stop(), anthropic.stop()]);
		direct.server.close();
	}
	process.exitCode = met ? 0 : 1;
}

void main().then(() => process.exit());
