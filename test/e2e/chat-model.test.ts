import { randomUUID } from 'node:crypto';

import { addDecimals, multiplyDecimal, toDecimal } from '../../common/money';
import { workflowCredentials } from './harness/credentials';
import { readWorkflow, startEnvironment, type Environment } from './harness/environment';
import { waitForWebhook, type RunningN8n } from './harness/n8n';
import { stage } from './harness/timing';
import {
	AGENT_ANTHROPIC_KEY,
	AGENT_OPENAI_KEY,
	agentAnthropicStandIn,
	agentOpenAiStandIn,
	ANSWER_TOKENS,
} from './standins/agentModels';

jest.setTimeout(30 * 60 * 1000);

interface WorkflowNode {
	name: string;
	webhookId?: string;
	parameters: Record<string, unknown>;
	credentials?: Record<string, { id: string; name: string }>;
}
type Workflow = { id: string; name: string; nodes: WorkflowNode[] };

const openAi = agentOpenAiStandIn();
const anthropic = agentAnthropicStandIn();
const workflow = readWorkflow('agent-chat.json') as unknown as Workflow;

/** The shipped workflow with its model switched to Anthropic, under its own ID and chat path. */
function anthropicVariant(): Workflow {
	const copy = JSON.parse(JSON.stringify(workflow)) as Workflow;
	copy.id = 'kpAgentClaude001';
	copy.name = 'Governed AI agent (Claude)';
	const trigger = copy.nodes.find((node) => node.webhookId)!;
	trigger.webhookId = '0c1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f';
	const model = copy.nodes.find((node) => node.name === 'KeyPilot Chat Model')!;
	model.parameters = {
		...model.parameters,
		provider: 'anthropic',
		model: 'claude-3-5-haiku-latest',
	};
	model.credentials = {
		postgres: model.credentials!.postgres,
		anthropicApi: { id: 'kpAnthropicApi01', name: 'Anthropic account (agent)' },
	};
	return copy;
}
const claude = anthropicVariant();

/** Prices per token of the bundled catalog (genai-prices), as published by the providers. */
const PRICES = {
	[workflow.id]: { input: '0.00000015', output: '0.0000006' },
	[claude.id]: { input: '0.0000008', output: '0.000004' },
};

let environment: Environment;
let n8n: RunningN8n;

const chatUrl = (flow: Workflow) =>
	`${n8n.url}/webhook/${flow.nodes.find((node) => node.webhookId)!.webhookId}/chat`;

async function ask(flow: Workflow, question: string) {
	const response = await fetch(chatUrl(flow), {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({ action: 'sendMessage', sessionId: randomUUID(), chatInput: question }),
	});
	return { status: response.status, text: await response.text() };
}

const query = <T extends Record<string, unknown>>(sql: string, params: unknown[] = []) =>
	environment.postgres.query<T>('keypilot', sql, params);

async function setQuota(flow: Workflow, type: 'usd' | 'tokens', limit: string) {
	await query(
		`INSERT INTO llm_quotas (subject_type, subject_id, quota_type, limit_amount, period)
		 VALUES ('workflow', $1, $2, $3, 'daily')
		 ON CONFLICT (subject_type, subject_id, models, kind) DO UPDATE SET quota_type = EXCLUDED.quota_type,
		   limit_amount = EXCLUDED.limit_amount, used = 0, reserved = 0`,
		[flow.id, type, limit],
	);
	await query(`DELETE FROM llm_quota_reservations WHERE subject_id = $1`, [flow.id]);
}

const rowsOf = (flow: Workflow) =>
	query<{
		request_id: string;
		input_tokens: string;
		output_tokens: string;
		cost_usd: string | null;
		execution_id: string | null;
		status_code: number | null;
		total_tokens: string | null;
	}>(
		`SELECT request_id, input_tokens::text, output_tokens::text, trim_scale(cost_usd)::text AS cost_usd,
		        execution_id, status_code, total_tokens::text
		   FROM llm_usage_log WHERE workflow_id = $1 ORDER BY id`,
		[flow.id],
	);

const quotaOf = async (flow: Workflow) =>
	(
		await query<{ used: string; reserved: string; limit_amount: string }>(
			`SELECT trim_scale(used)::text AS used, reserved::text, trim_scale(limit_amount)::text AS limit_amount
			   FROM llm_quotas WHERE subject_type = 'workflow' AND subject_id = $1`,
			[flow.id],
		)
	)[0];

beforeAll(async () => {
	await openAi.start();
	await anthropic.start();
	environment = await startEnvironment({
		credentials: (postgres) =>
			workflowCredentials({
				postgres,
				database: 'keypilot',
				chatModels: {
					openAiKey: AGENT_OPENAI_KEY,
					openAiUrl: `${openAi.url}/v1`,
					anthropicKey: AGENT_ANTHROPIC_KEY,
					anthropicUrl: anthropic.url,
				},
			}),
		workflows: [workflow, claude],
	});
	for (const flow of [workflow, claude]) await environment.n8n.publish(flow.id);
	n8n = await stage('n8n start', () =>
		environment.n8n.start({ log: !!process.env.KEYPILOT_E2E_LOG }),
	);
	for (const flow of [workflow, claude]) {
		await stage('chat registered', () => waitForWebhook(chatUrl(flow), { method: 'POST' }));
	}
});

afterAll(async () => {
	await n8n?.stop();
	await openAi.stop();
	await anthropic.stop();
	await environment?.stop();
});

describe('KeyPilot Chat Model under an AI Agent in a real n8n', () => {
	for (const [label, flow, standIn] of [
		['an OpenAI-compatible endpoint', workflow, openAi],
		['Anthropic', claude, anthropic],
	] as const) {
		it(`runs the Agent's tool loop through ${label}: every call one row with exact cost, the quota's used their sum`, async () => {
			await setQuota(flow, 'usd', '1');
			const before = standIn.requests.length;
			const answer = await stage(`agent run (${label})`, () => ask(flow, 'What is 2 + 3?'));
			expect({ status: answer.status, text: answer.text }).toEqual({
				status: 200,
				text: expect.stringContaining('The result is 5.'),
			});
			// Two model calls: the tool call, then the answer from the tool's result.
			const calls = standIn.requests.slice(before);
			expect(calls).toHaveLength(2);
			// Anthropic is called with the version the node defaults to.
			if (standIn === anthropic)
				expect(calls.map((call) => call.headers['anthropic-version'])).toEqual([
					'2026-10-21',
					'2026-10-21',
				]);
			const rows = await rowsOf(flow);
			expect(rows).toHaveLength(2);
			const price = PRICES[flow.id];
			for (const row of rows) {
				expect(row.status_code).toBe(200);
				expect(row.output_tokens).toBe(String(ANSWER_TOKENS));
				expect(row.execution_id).toBe(rows[0].execution_id);
				expect(row.cost_usd).toBe(
					toDecimal(
						addDecimals(
							multiplyDecimal(price.input, row.input_tokens),
							multiplyDecimal(price.output, row.output_tokens),
						),
					),
				);
			}
			const quota = await quotaOf(flow);
			expect(quota.used).toBe(addDecimals(...rows.map((row) => row.cost_usd!)));
			expect(quota.reserved).toBe('0');
		});
	}

	it('answers a message without chatInput text 400 naming the field, before the Agent runs: no model call, no row', async () => {
		const before = { calls: openAi.requests.length, rows: (await rowsOf(workflow)).length };
		const answers = [];
		for (const body of [{}, { chatInput: 5 }, { action: 'sendMessage', chatInput: '   ' }]) {
			const response = await fetch(chatUrl(workflow), {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify(body),
			});
			answers.push({ status: response.status, body: await response.json() });
		}
		expect(answers).toEqual([
			{
				status: 400,
				body: {
					error: {
						code: 'invalid_request',
						field: 'chatInput',
						message: 'chatInput: expected a non-empty string, got nothing',
					},
				},
			},
			{
				status: 400,
				body: { error: expect.objectContaining({ message: expect.stringMatching(/got 5$/) }) },
			},
			{
				status: 400,
				body: { error: expect.objectContaining({ message: expect.stringMatching(/got " {3}"$/) }) },
			},
		]);
		expect(openAi.requests.length).toBe(before.calls);
		expect((await rowsOf(workflow)).length).toBe(before.rows);
	});

	it('fails the next run with API_KEY_QUOTA_EXHAUSTED once the quota is spent, sending the provider nothing', async () => {
		const { used } = await quotaOf(workflow);
		await query(
			`UPDATE llm_quotas SET limit_amount = used WHERE subject_type = 'workflow' AND subject_id = $1`,
			[workflow.id],
		);
		const before = openAi.requests.length;
		const answer = await ask(workflow, 'What is 2 + 3?');
		expect(answer.status).toBeGreaterThanOrEqual(400);
		expect(openAi.requests.length).toBe(before);
		const [execution] = await environment.postgres.query<{ status: string; data: string }>(
			'n8n',
			`SELECT e.status, d.data FROM execution_entity e JOIN execution_data d ON d."executionId" = e.id
			  WHERE e."workflowId" = $1 ORDER BY e.id DESC LIMIT 1`,
			[workflow.id],
		);
		expect(execution.status).toBe('error');
		expect(execution.data).toContain('API_KEY_QUOTA_EXHAUSTED');
		expect((await quotaOf(workflow)).used).toBe(used);
	});

	it('20 Agent runs at once on a quota that fits about 10 calls: used never exceeds the limit, every call sent is recorded', async () => {
		await setQuota(workflow, 'tokens', '9000');
		await query(`DELETE FROM llm_usage_log WHERE workflow_id = $1`, [workflow.id]);
		const before = openAi.requests.length;
		const answers = await stage('20 agent runs', () =>
			Promise.all(Array.from({ length: 20 }, () => ask(workflow, 'What is 2 + 3?'))),
		);
		const ok = answers.filter((answer) => answer.status === 200).length;
		expect(ok).toBeGreaterThan(0);
		expect(ok).toBeLessThan(20);
		const sent = openAi.requests.length - before;
		const rows = await rowsOf(workflow);
		expect(rows.filter((row) => row.status_code === 200)).toHaveLength(sent);
		const quota = await quotaOf(workflow);
		const used = rows.reduce((sum, row) => sum + Number(row.total_tokens ?? 0), 0);
		expect({ used: Number(quota.used), reserved: quota.reserved }).toEqual({ used, reserved: '0' });
		expect(Number(quota.used)).toBeLessThanOrEqual(9000);
		console.log(
			`20 concurrent Agent runs on 9000 tokens: ${ok} answered, ${20 - ok} refused with the quota error, ${sent} model calls sent and recorded, used ${quota.used}`,
		);
	});
});
