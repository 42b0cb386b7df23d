/**
 * What metering adds to one model call of the KeyPilot Chat Model: the same Chat Completions call
 * to a local stand-in, once sent bare with `fetch` (the baseline: the least any client does), once
 * through the governed model (bound, reservation, the call, usage row and settlement in one
 * transaction, on a real PostgreSQL), interleaved in rounds, one call at a time. Prints p50 and p99
 * of both and of the difference. Target: p50 added at most 10 ms.
 */
import { performance } from 'node:perf_hooks';

import { Pool } from 'pg';

import { GovernedChatModel } from '../packages/ledger/core/chat/model';
import { genaiPricesLookup } from '../packages/ledger/nodes/pricing/prices';
import { chainLookups, overrideLookup } from '../packages/ledger/core/usage/pricing';
import { AGENT_OPENAI_KEY, agentOpenAiStandIn } from '../test/e2e/standins/agentModels';
import { TestPostgres } from '../test/helpers/postgres';

const CALLS = Number(process.env.BENCH_CALLS ?? 400);
const ROUNDS = 4;

function percentile(values: number[], p: number): number {
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function main() {
	const postgres = new TestPostgres();
	const standIn = agentOpenAiStandIn();
	await postgres.start();
	await standIn.start();
	try {
		await postgres.createDatabase('keypilot');
		await postgres.setUpLedger('keypilot');
		await postgres.query(
			'keypilot',
			`INSERT INTO llm_quotas (subject_type, subject_id, quota_type, limit_amount) VALUES ('workflow', 'bench', 'usd', 1000000)`,
		);
		const pool = new Pool({ ...postgres.connection('keypilot'), max: 4 });
		pool.on('error', () => undefined);
		const url = `${standIn.url}/v1/chat/completions`;
		const headers = {
			authorization: `Bearer ${AGENT_OPENAI_KEY}`,
			'content-type': 'application/json',
		};
		const send = async (body: Record<string, unknown>) => {
			const response = await fetch(url, { method: 'POST', headers, body: JSON.stringify(body) });
			return { status: response.status, body: (await response.json()) as unknown };
		};
		const model = new GovernedChatModel({
			api: 'openai',
			model: 'gpt-4o-mini',
			baseUrl: `${standIn.url}/v1`,
			defaults: { maxTokens: 256 },
			send,
			connect: async () => await pool.connect(),
			subject: { type: 'workflow', id: 'bench' },
			whenNoQuota: 'refuse',
			prices: { overrides: overrideLookup([]), catalog: chainLookups(genaiPricesLookup) },
			defaultOutputTokens: 4096,
			timeoutSeconds: 60,
			schema: (tool) => tool.inputSchema,
			context: { workflowId: 'bench', executionId: null, keyName: null },
			secrets: [AGENT_OPENAI_KEY],
		});
		const question = [
			{ role: 'user' as const, content: [{ type: 'text', text: 'Hello, how are you today?' }] },
		];
		const bareBody = {
			model: 'gpt-4o-mini',
			messages: [{ role: 'user', content: 'Hello, how are you today?' }],
			max_tokens: 256,
		};

		const bare: number[] = [];
		const metered: number[] = [];
		// Warm up both paths (connections, JIT) before measuring.
		for (let i = 0; i < 20; i++) {
			await send(bareBody);
			await model.generate(question);
		}
		for (let round = 0; round < ROUNDS; round++) {
			for (let i = 0; i < CALLS / ROUNDS; i++) {
				let t = performance.now();
				await send(bareBody);
				bare.push(performance.now() - t);
				t = performance.now();
				await model.generate(question);
				metered.push(performance.now() - t);
			}
		}
		const [rows] = await postgres.query<{ n: number }>(
			'keypilot',
			`SELECT count(*)::int AS n FROM llm_usage_log WHERE workflow_id = 'bench'`,
		);
		const ms = (value: number) => `${value.toFixed(2)} ms`;
		console.log(
			`${CALLS} calls each, interleaved in ${ROUNDS} rounds; ${rows.n} usage rows written`,
		);
		console.log(`bare fetch:     p50 ${ms(percentile(bare, 50))}, p99 ${ms(percentile(bare, 99))}`);
		console.log(
			`governed model: p50 ${ms(percentile(metered, 50))}, p99 ${ms(percentile(metered, 99))}`,
		);
		const added50 = percentile(metered, 50) - percentile(bare, 50);
		const added99 = percentile(metered, 99) - percentile(bare, 99);
		console.log(
			`added by metering: p50 ${ms(added50)} (target at most 10 ms: ${added50 <= 10 ? 'met' : 'missed'}), p99 ${ms(added99)}; ratio p50 ${(percentile(metered, 50) / percentile(bare, 50)).toFixed(2)}x`,
		);
		await pool.end();
	} finally {
		await standIn.stop();
		await postgres.stop();
	}
}

void main();
