import { randomUUID } from 'node:crypto';

import { Pool } from 'pg';

import { GovernedChatModel, type GovernedChatOptions } from '../../packages/ledger/core/chat/model';
import {
	inQuotaUnit,
	reserveQuota,
	setRateLimit,
	settleQuota,
} from '../../packages/ledger/core/quota';
import type { ChatMessage, ChatTool } from '../../packages/ledger/core/chat/types';
import { chainLookups, overrideLookup } from '../../packages/ledger/core/usage/pricing';
import { TestPostgres } from '../helpers/postgres';

jest.setTimeout(5 * 60 * 1000);

const postgres = new TestPostgres();
let pool: Pool;

beforeAll(async () => {
	await postgres.start();
	await postgres.createDatabase('keypilot');
	await postgres.setUpLedger('keypilot');
	pool = new Pool({ ...postgres.connection('keypilot'), max: 4 });
	pool.on('error', () => undefined);
});

afterAll(async () => {
	await pool.end();
	await postgres.stop();
});

const query = (sql: string, params: unknown[] = []) => postgres.query('keypilot', sql, params);

/** $2.50 / $10 per million tokens: what every call below costs is known to the last digit. */
const prices = {
	overrides: overrideLookup([
		{ model: 'gpt-test', perMillion: { input: '2.5', output: '10' } },
		{ model: 'claude-test', perMillion: { input: '3', output: '15', cacheRead: '0.3' } },
	]),
	catalog: chainLookups(),
};

const calculator: ChatTool = {
	type: 'function',
	name: 'calculator',
	description: 'Adds two numbers',
	inputSchema: { type: 'object', properties: { a: { type: 'number' }, b: { type: 'number' } } },
};

type Answer = { status: number; body: unknown; headers?: Record<string, unknown> };

function model(
	api: 'openai' | 'anthropic',
	subject: string,
	answers: Answer[],
	overrides: Partial<GovernedChatOptions> = {},
) {
	const sent: Array<Record<string, unknown>> = [];
	const governed = new GovernedChatModel({
		api,
		model: api === 'openai' ? 'gpt-test' : 'claude-test',
		baseUrl: api === 'openai' ? 'https://api.openai.com/v1' : 'https://api.anthropic.com',
		defaults: { maxTokens: 200 },
		async send(body) {
			sent.push(body);
			const answer = answers.shift();
			if (!answer) throw new Error('connect ECONNREFUSED');
			return answer;
		},
		connect: async () => await pool.connect(),
		subject: { type: 'token_hash', id: subject },
		whenNoQuota: 'refuse',
		prices,
		defaultOutputTokens: 1000,
		timeoutSeconds: 30,
		schema: (tool) => tool.inputSchema,
		context: { workflowId: 'wf-1', executionId: 'ex-1', keyName: 'agent' },
		secrets: ['sk-proj-governedTestKey0123456789'],
		...overrides,
	}).withTools([calculator]);
	return { governed, sent };
}

async function setQuota(subject: string, type: 'tokens' | 'usd', limit: string) {
	await query(
		`INSERT INTO llm_quotas (subject_type, subject_id, quota_type, limit_amount) VALUES ('token_hash', $1, $2, $3)`,
		[subject, type, limit],
	);
}

const user = (text: string): ChatMessage => ({ role: 'user', content: [{ type: 'text', text }] });

const openAiAnswer = (
	id: string,
	message: Record<string, unknown>,
	finish: string,
	usage: { prompt: number; completion: number },
) => ({
	status: 200,
	body: {
		id,
		object: 'chat.completion',
		created: 1,
		model: 'gpt-test',
		choices: [{ index: 0, message: { role: 'assistant', ...message }, finish_reason: finish }],
		usage: {
			prompt_tokens: usage.prompt,
			completion_tokens: usage.completion,
			total_tokens: usage.prompt + usage.completion,
		},
	},
});

describe('Governed chat model', () => {
	it('meters every step of a tool loop: one row each with exact cost, the quota used equals their sum', async () => {
		await setQuota('loop', 'usd', '1');
		const { governed, sent } = model('openai', 'loop', [
			openAiAnswer(
				'chatcmpl-1',
				{
					content: null,
					tool_calls: [
						{
							id: 'call_1',
							type: 'function',
							function: { name: 'calculator', arguments: '{"a":2,"b":3}' },
						},
					],
				},
				'tool_calls',
				{ prompt: 120, completion: 30 },
			),
			openAiAnswer('chatcmpl-2', { content: 'The sum is 5.' }, 'stop', {
				prompt: 180,
				completion: 9,
			}),
		]);
		const first = await governed.generate([
			{ role: 'system', content: [{ type: 'text', text: 'You add numbers.' }] },
			user('What is 2 + 3?'),
		]);
		expect(first.finishReason).toBe('tool-calls');
		expect(first.message.content).toEqual([
			{ type: 'tool-call', toolCallId: 'call_1', toolName: 'calculator', input: '{"a":2,"b":3}' },
		]);
		const second = await governed.generate([
			user('What is 2 + 3?'),
			first.message,
			{ role: 'tool', content: [{ type: 'tool-result', toolCallId: 'call_1', result: 5 }] },
		]);
		expect(second.message.content).toEqual([{ type: 'text', text: 'The sum is 5.' }]);
		expect(second.usage).toMatchObject({
			promptTokens: 180,
			completionTokens: 9,
			totalTokens: 189,
		});

		// The request as sent: the tool, the output limit, the tool result in OpenAI's shape.
		expect(sent[0]).toMatchObject({
			model: 'gpt-test',
			max_tokens: 200,
			tools: [{ type: 'function', function: { name: 'calculator' } }],
		});
		expect(sent[1].messages).toEqual([
			{ role: 'user', content: 'What is 2 + 3?' },
			{
				role: 'assistant',
				content: null,
				tool_calls: [
					{
						id: 'call_1',
						type: 'function',
						function: { name: 'calculator', arguments: '{"a":2,"b":3}' },
					},
				],
			},
			{ role: 'tool', tool_call_id: 'call_1', content: '5' },
		]);
		const rows = await query(
			`SELECT request_id, input_tokens::int, output_tokens::int, cost_usd::text, workflow_id, execution_id, key_name, status_code
			   FROM llm_usage_log WHERE key_hash = 'loop' ORDER BY id`,
		);
		// 120 × 2.5 + 30 × 10 = 600 micro-dollars; 180 × 2.5 + 9 × 10 = 540.
		expect(rows).toEqual([
			{
				request_id: 'chatcmpl-1',
				input_tokens: 120,
				output_tokens: 30,
				cost_usd: '0.000600000000000000',
				workflow_id: 'wf-1',
				execution_id: 'ex-1',
				key_name: 'agent',
				status_code: 200,
			},
			{
				request_id: 'chatcmpl-2',
				input_tokens: 180,
				output_tokens: 9,
				cost_usd: '0.000540000000000000',
				workflow_id: 'wf-1',
				execution_id: 'ex-1',
				key_name: 'agent',
				status_code: 200,
			},
		]);
		expect(
			await query(`SELECT used::text, reserved::text FROM llm_quotas WHERE subject_id = 'loop'`),
		).toEqual([{ used: '0.00114', reserved: '0' }]);
	});

	it('refuses a call the quota cannot pay for with API_KEY_QUOTA_EXHAUSTED, and sends nothing', async () => {
		await setQuota('small', 'tokens', '20');
		const { governed, sent } = model('openai', 'small', []);
		await expect(governed.generate([user('What is 2 + 3?')])).rejects.toThrow(
			/^API_KEY_QUOTA_EXHAUSTED: Quota exhausted on token_hash:small: 0 of 20 tokens used, this request may use up to \d+ \(remaining 20 of limit 20\)$/,
		);
		expect(sent).toEqual([]);
		expect(
			await query(`SELECT count(*)::int AS n FROM llm_usage_log WHERE key_hash = 'small'`),
		).toEqual([{ n: 0 }]);
	});

	it('waits for a rate limit as told and then calls; a limit the call can never fit is RATE_LIMITED at once, sending nothing', async () => {
		await setQuota('paced', 'tokens', '0');
		const paced = { type: 'token_hash', id: 'paced' };
		await setRateLimit(pool, paced, { kind: 'concurrent', limit: '1' });
		// Another call holds the only slot, and ends 1.5 seconds later.
		const other = await reserveQuota(pool, paced, inQuotaUnit('1'), randomUUID(), 300);
		expect(other?.allowed).toBe(true);
		const ends = setTimeout(() => {
			void settleQuota(pool, paced, other!.reservation_id!, inQuotaUnit('1'));
		}, 1500);
		const { governed, sent } = model('openai', 'paced', [
			openAiAnswer('chatcmpl-p', { content: 'Five.' }, 'stop', { prompt: 20, completion: 2 }),
		]);
		const started = Date.now();
		await governed.generate([user('What is 2 + 3?')]);
		clearTimeout(ends);
		// Refused while the slot was held, then waited as told (a timer may fire a little early).
		expect(Date.now() - started).toBeGreaterThanOrEqual(950);
		expect(sent).toHaveLength(1);

		await query(
			`INSERT INTO llm_quotas (subject_type, subject_id, kind, quota_type, limit_amount)
			 VALUES ('token_hash', 'tiny', 'tokens_per_minute', 'tokens', 10)`,
		);
		const tiny = model('openai', 'tiny', [], { whenNoQuota: 'allow' });
		await expect(tiny.governed.generate([user('What is 2 + 3?')])).rejects.toThrow(
			/^RATE_LIMITED: Rate limit on token_hash:tiny; limit=tokens_per_minute: this request may use up to \d+ tokens, more than the 10 tokens per minute allowed$/,
		);
		expect(tiny.sent).toEqual([]);
	});

	it('releases the reservation on an explicit provider error, and logs it', async () => {
		await setQuota('refused', 'tokens', '100000');
		const { governed } = model('openai', 'refused', [
			{ status: 400, body: { error: { message: 'Invalid model' } } },
		]);
		await expect(governed.generate([user('hi')])).rejects.toThrow(
			'The provider answered 400: Invalid model',
		);
		expect(
			await query(`SELECT used::text, reserved::text FROM llm_quotas WHERE subject_id = 'refused'`),
		).toEqual([{ used: '0', reserved: '0' }]);
		expect(
			await query(
				`SELECT status_code, error_message FROM llm_usage_log WHERE key_hash = 'refused'`,
			),
		).toEqual([{ status_code: 400, error_message: 'Invalid model' }]);
	});

	it("waits out OpenRouter's in-flight budget 402 as asked and goes again on the same reservation", async () => {
		await setQuota('in-flight', 'tokens', '100000');
		const busy = {
			status: 402,
			headers: { 'retry-after': '1' },
			body: {
				error: {
					code: 402,
					message: 'In-flight budget exhausted',
					metadata: { limit_source: 'openrouter_in_flight_budget' },
				},
			},
		};
		const { governed, sent } = model('openai', 'in-flight', [
			busy,
			openAiAnswer('chatcmpl-ok', { content: 'Hi.' }, 'stop', { prompt: 20, completion: 5 }),
		]);
		const started = Date.now();
		const result = await governed.generate([user('hi')]);
		expect(Date.now() - started).toBeGreaterThanOrEqual(950);
		expect(sent).toHaveLength(2);
		expect(result.message.content).toEqual([{ type: 'text', text: 'Hi.' }]);
		expect(
			await query(
				`SELECT used::text, reserved::text FROM llm_quotas WHERE subject_id = 'in-flight'`,
			),
		).toEqual([{ used: '25', reserved: '0' }]);
		expect(
			await query(`SELECT status_code FROM llm_usage_log WHERE key_hash = 'in-flight'`),
		).toEqual([{ status_code: 200 }]);
	});

	it("stops at OpenAI's spend-limit 429 at once, naming the limit, and releases the reservation", async () => {
		await setQuota('spend-limit', 'tokens', '100000');
		const { governed, sent } = model('openai', 'spend-limit', [
			{
				status: 429,
				body: {
					error: {
						message: 'You exceeded your current quota.',
						type: 'insufficient_quota',
						param: null,
						code: 'organization_spend_limit_exceeded',
					},
				},
			},
		]);
		await expect(governed.generate([user('hi')])).rejects.toThrow(
			"OpenAI refused the request: the organization's spend limit is reached: raise it in OpenAI's organization settings (Limits) or wait for the next period. Retrying will not help (organization_spend_limit_exceeded).",
		);
		expect(sent).toHaveLength(1);
		expect(
			await query(
				`SELECT used::text, reserved::text FROM llm_quotas WHERE subject_id = 'spend-limit'`,
			),
		).toEqual([{ used: '0', reserved: '0' }]);
	});

	it('never repeats the provider key from an error answer, in the error or the log', async () => {
		await setQuota('leaky', 'tokens', '100000');
		const key = 'sk-proj-governedTestKey0123456789';
		const { governed } = model('openai', 'leaky', [
			{ status: 401, body: { error: { message: `Incorrect API key provided: ${key}.` } } },
		]);
		const error = await governed.generate([user('hi')]).catch((failure: Error) => failure);
		expect(String((error as Error).message)).not.toContain(key);
		expect((error as Error).message).toContain('[redacted]');
		const rows = await query(`SELECT error_message FROM llm_usage_log WHERE key_hash = 'leaky'`);
		expect(JSON.stringify(rows)).not.toContain(key);
	});

	it('leaves the reservation to be charged in full when no answer came, and charges it all when usage is missing', async () => {
		await setQuota('lost', 'tokens', '100000');
		const lost = model('openai', 'lost', []);
		await expect(lost.governed.generate([user('hi')])).rejects.toThrow('ECONNREFUSED');
		const [held] = await query(`SELECT reserved::text FROM llm_quotas WHERE subject_id = 'lost'`);
		expect(Number(held.reserved)).toBeGreaterThan(200);

		await setQuota('nousage', 'tokens', '100000');
		const noUsage = model('openai', 'nousage', [
			{
				status: 200,
				body: {
					id: 'x',
					object: 'chat.completion',
					choices: [
						{ index: 0, message: { role: 'assistant', content: 'ok' }, finish_reason: 'stop' },
					],
				},
			},
		]);
		await noUsage.governed.generate([user('hi')]);
		const [quota] = await query(
			`SELECT used::text, reserved::text FROM llm_quotas WHERE subject_id = 'nousage'`,
		);
		expect(quota.reserved).toBe('0');
		expect(Number(quota.used)).toBeGreaterThan(200);
		expect(
			await query(`SELECT usage_complete FROM llm_usage_log WHERE key_hash = 'nousage'`),
		).toEqual([{ usage_complete: false }]);
	});

	it('speaks Anthropic Messages: system apart, tool results as user turns, usage and cost read back', async () => {
		await setQuota('claude', 'usd', '1');
		const { governed, sent } = model('anthropic', 'claude', [
			{
				status: 200,
				body: {
					id: 'msg_1',
					type: 'message',
					role: 'assistant',
					model: 'claude-test',
					content: [
						{ type: 'text', text: 'Let me add.' },
						{ type: 'tool_use', id: 'toolu_1', name: 'calculator', input: { a: 2, b: 3 } },
					],
					stop_reason: 'tool_use',
					stop_sequence: null,
					usage: {
						input_tokens: 400,
						output_tokens: 40,
						cache_read_input_tokens: 100,
						cache_creation_input_tokens: 0,
					},
				},
			},
		]);
		const result = await governed.generate([
			{ role: 'system', content: [{ type: 'text', text: 'You add numbers.' }] },
			user('What is 2 + 3?'),
			{
				role: 'assistant',
				content: [
					{
						type: 'tool-call',
						toolCallId: 'toolu_0',
						toolName: 'calculator',
						input: '{"a":1,"b":1}',
					},
				],
			},
			{
				role: 'tool',
				content: [{ type: 'tool-result', toolCallId: 'toolu_0', result: { sum: 2 } }],
			},
		]);
		expect(result.message.content).toEqual([
			{ type: 'text', text: 'Let me add.' },
			{ type: 'tool-call', toolCallId: 'toolu_1', toolName: 'calculator', input: '{"a":2,"b":3}' },
		]);
		expect(sent[0]).toEqual({
			model: 'claude-test',
			max_tokens: 200,
			system: 'You add numbers.',
			messages: [
				{ role: 'user', content: [{ type: 'text', text: 'What is 2 + 3?' }] },
				{
					role: 'assistant',
					content: [{ type: 'tool_use', id: 'toolu_0', name: 'calculator', input: { a: 1, b: 1 } }],
				},
				{
					role: 'user',
					content: [{ type: 'tool_result', tool_use_id: 'toolu_0', content: '{"sum":2}' }],
				},
			],
			tools: [
				{
					name: 'calculator',
					description: 'Adds two numbers',
					input_schema: calculator.inputSchema,
				},
			],
		});
		// 400 × 3 + 40 × 15 + 100 × 0.3 = 1830 micro-dollars.
		expect(
			await query(`SELECT provider, cost_usd::text FROM llm_usage_log WHERE key_hash = 'claude'`),
		).toEqual([{ provider: 'anthropic', cost_usd: '0.001830000000000000' }]);
		expect(await query(`SELECT used::text FROM llm_quotas WHERE subject_id = 'claude'`)).toEqual([
			{ used: '0.00183' },
		]);
	});

	it('keeps used within the limit when many calls race for a quota that fits a few', async () => {
		await setQuota('race', 'tokens', '3000');
		const calls = Array.from({ length: 20 }, () =>
			model('openai', 'race', [
				openAiAnswer(`r-${Math.random()}`, { content: 'ok' }, 'stop', {
					prompt: 50,
					completion: 200,
				}),
			]).governed.generate([user('hi')]),
		);
		const settled = await Promise.allSettled(calls);
		const ok = settled.filter((s) => s.status === 'fulfilled').length;
		const refused = settled.filter(
			(s) => s.status === 'rejected' && String(s.reason).includes('API_KEY_QUOTA_EXHAUSTED'),
		).length;
		expect(ok + refused).toBe(20);
		expect(ok).toBeGreaterThan(0);
		const [quota] = await query(
			`SELECT used::numeric <= limit_amount AS within, used::int, reserved::text FROM llm_quotas WHERE subject_id = 'race'`,
		);
		expect(quota).toEqual({ within: true, used: ok * 250, reserved: '0' });
	});
});
