import { extractUsage } from '../../packages/ledger/core/usage/extract';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import { calcPrice } from '@pydantic/genai-prices';

import { addDecimals, compareDecimals } from '../../common/money';
import {
	costOf,
	liteLlmLookup,
	overrideLookup,
	type PriceLookup,
} from '../../packages/ledger/core/usage/pricing';
import type { TokenCounts } from '../../packages/ledger/core/usage/types';
import { genaiPricesLookup } from '../../packages/ledger/nodes/pricing/prices';
import { priceUsage } from '../../packages/ledger/core/usage/price';

const TABLE_PATH = join(
	__dirname,
	'..',
	'..',
	'..',
	'shared',
	'data',
	'model_prices_and_context_window.json',
);

const counts = (partial: Partial<TokenCounts>): TokenCounts => ({
	input_tokens: null,
	output_tokens: null,
	cache_read_tokens: null,
	cache_write_5m_tokens: null,
	cache_write_1h_tokens: null,
	reasoning_tokens: null,
	web_search_requests: null,
	web_fetch_requests: null,
	...partial,
});

function price(
	lookup: PriceLookup,
	model: string,
	usage: Partial<TokenCounts>,
	provider = 'anthropic',
) {
	const pricing = lookup.find(model, provider);
	if (!pricing) throw new Error(`no price for ${model}`);
	return costOf(counts(usage), pricing);
}

describe('prices from the shared LiteLLM table', () => {
	if (!existsSync(TABLE_PATH)) {
		it.skip(`needs ${TABLE_PATH} (../shared beside the repository)`, () => undefined);
		return;
	}
	const table = liteLlmLookup(JSON.parse(readFileSync(TABLE_PATH, 'utf8')), 'litellm:shared');

	it('prices uncached input, cache reads, 5-minute and 1-hour cache writes and output exactly', () => {
		// claude-sonnet-4-5: input 3e-06, 5-minute write 3.75e-06, 1-hour write 6e-06, read 3e-07, output 1.5e-05
		const cost = price(table, 'claude-sonnet-4-5', {
			input_tokens: 1000,
			cache_write_5m_tokens: 2000,
			cache_write_1h_tokens: 3000,
			cache_read_tokens: 4000,
			output_tokens: 500,
		});
		// 0.003 + 0.0075 + 0.018 + 0.0012 + 0.0075
		expect(cost).toEqual({ cost_usd: '0.0372', price_source: 'litellm:shared' });
	});

	it('switches to the above-200k prices when the whole input passes 200,000 tokens', () => {
		// 150,000 uncached + 60,000 cache reads = 210,000: input 6e-06, read 6e-07, output 2.25e-05
		expect(
			price(table, 'claude-sonnet-4-5', {
				input_tokens: 150_000,
				cache_read_tokens: 60_000,
				output_tokens: 1000,
			}).cost_usd,
		).toBe('0.9585');
		// 200,000 exactly stays on the base prices: 0.6 + 0.015
		expect(
			price(table, 'claude-sonnet-4-5', { input_tokens: 200_000, output_tokens: 1000 }).cost_usd,
		).toBe('0.615');
	});

	it('uses the tiered_pricing band the input falls in', () => {
		// dashscope/qwen-flash: 2.5e-07 / 2e-06 from 256,000 input tokens on
		expect(
			price(
				table,
				'dashscope/qwen-flash',
				{ input_tokens: 300_000, output_tokens: 100 },
				'dashscope',
			).cost_usd,
		).toBe('0.0752');
		expect(
			price(table, 'dashscope/qwen-flash', { input_tokens: 1000, output_tokens: 100 }, 'dashscope')
				.cost_usd,
		).toBe('0.00009');
	});

	it('prices reasoning apart when the table does, without counting it twice', () => {
		// dashscope/qwen-turbo: output 2e-07, reasoning 5e-07; 1,000 output of which 600 reasoning
		expect(
			price(
				table,
				'dashscope/qwen-turbo',
				{ input_tokens: 0, output_tokens: 1000, reasoning_tokens: 600 },
				'dashscope',
			).cost_usd,
		).toBe('0.00038');
	});

	it('finds a model under "provider/model" and says nothing for an unknown one', () => {
		expect(table.find('qwen-turbo', 'dashscope')).toBeDefined();
		expect(table.find('no-such-model-xyz', 'openai')).toBeUndefined();
	});

	it('adds a thousand 0.1-cent requests up to exactly 1 dollar', () => {
		const pricing = table.find('gpt-4o', 'openai')!;
		const one = costOf(counts({ input_tokens: 400, output_tokens: 0 }), pricing).cost_usd;
		expect(one).toBe('0.001');
		expect(addDecimals(...Array.from({ length: 1000 }, () => one))).toBe('1');
	});
});

describe('prices from genai-prices (the default) and overrides', () => {
	it('matches genai-prices on the same usage, but exactly', () => {
		const usage = {
			input_tokens: 1000,
			cache_read_tokens: 10,
			cache_write_5m_tokens: 5,
			output_tokens: 100,
		};
		const ours = price(genaiPricesLookup, 'claude-sonnet-4-5', usage).cost_usd;
		// 1000 × 3 + 10 × 0.3 + 5 × 3.75 + 100 × 15, per million
		expect(ours).toBe('0.00452175');
		const theirs = calcPrice(
			{ input_tokens: 1015, cache_read_tokens: 10, cache_write_tokens: 5, output_tokens: 100 },
			'claude-sonnet-4-5',
			{ providerId: 'anthropic' },
		);
		expect(Math.abs(Number(ours) - theirs!.total_price)).toBeLessThan(1e-12);
	});

	it('applies genai-prices tiers above 200k input', () => {
		expect(
			price(
				genaiPricesLookup,
				'gemini-2.5-pro',
				{ input_tokens: 250_000, output_tokens: 0 },
				'google',
			).cost_usd,
		).toBe('0.625');
	});

	it('lets an override win, per million tokens', () => {
		const overrides = overrideLookup([
			{ model: 'my-model', perMillion: { input: '0.5', output: '1.5' } },
		]);
		expect(
			price(overrides, 'MY-MODEL', { input_tokens: 2_000_000, output_tokens: 1_000_000 }).cost_usd,
		).toBe('2.5');
		expect(
			compareDecimals(
				price(overrides, 'my-model', { input_tokens: 1, output_tokens: 0 }).cost_usd,
				'0',
			),
		).toBe(1);
	});
});

describe('every billed token field of a response is read and priced', () => {
	const priced = (body: unknown, provider: string) => {
		const usage = extractUsage(body);
		const pricing = genaiPricesLookup.find(usage.model!, provider)!;
		return { usage, cost: costOf(usage, pricing).cost_usd };
	};
	const genai = (
		model: string,
		provider: string,
		usage: {
			input_tokens: number;
			cache_read_tokens: number;
			cache_write_tokens: number;
			output_tokens: number;
		},
	) => calcPrice(usage, model, { providerId: provider })!.total_price;

	// The same usage in each OpenAI shape: 2,000 prompt tokens of which 500 read from the cache and
	// 700 written to it (reported since 2026-07-15), 300 output of which 100 reasoning.
	const openAiShapes = [
		{
			shape: 'Chat Completions (prompt_tokens_details)',
			body: {
				id: 'chatcmpl-1',
				object: 'chat.completion',
				model: 'gpt-4.1',
				choices: [],
				usage: {
					prompt_tokens: 2000,
					completion_tokens: 300,
					total_tokens: 2300,
					prompt_tokens_details: { cached_tokens: 500, cache_write_tokens: 700 },
					completion_tokens_details: { reasoning_tokens: 100 },
				},
			},
		},
		{
			shape: 'Responses (input_tokens_details)',
			body: {
				id: 'resp_1',
				object: 'response',
				model: 'gpt-4.1',
				status: 'completed',
				output: [],
				usage: {
					input_tokens: 2000,
					input_tokens_details: { cached_tokens: 500, cache_write_tokens: 700 },
					output_tokens: 300,
					output_tokens_details: { reasoning_tokens: 100 },
					total_tokens: 2300,
				},
			},
		},
	];
	it.each(openAiShapes)(
		'OpenAI $shape: cache writes and reads out of the prompt, each at its own price',
		({ body }) => {
			const { usage, cost } = priced(body, 'openai');
			expect(usage).toMatchObject({
				input_tokens: 800,
				cache_read_tokens: 500,
				cache_write_5m_tokens: 700,
			});
			const theirs = genai('gpt-4.1', 'openai', {
				input_tokens: 2000,
				cache_read_tokens: 500,
				cache_write_tokens: 700,
				output_tokens: 300,
			});
			expect(Math.abs(Number(cost) - theirs)).toBeLessThan(1e-12);
		},
	);

	it('Anthropic: cache writes by duration, reads and thinking inside output', () => {
		const { usage, cost } = priced(
			{
				id: 'msg_1',
				type: 'message',
				role: 'assistant',
				model: 'claude-sonnet-4-5',
				content: [],
				usage: {
					input_tokens: 1000,
					cache_creation_input_tokens: 300,
					cache_creation: { ephemeral_5m_input_tokens: 100, ephemeral_1h_input_tokens: 200 },
					cache_read_input_tokens: 50,
					output_tokens: 400,
					output_tokens_details: { thinking_tokens: 150 },
				},
			},
			'anthropic',
		);
		expect(usage).toMatchObject({
			input_tokens: 1000,
			cache_write_5m_tokens: 100,
			cache_write_1h_tokens: 200,
			cache_read_tokens: 50,
			output_tokens: 400,
			reasoning_tokens: 150,
		});
		// Anthropic's published prices for Sonnet 4.5, per million: input 3, 5-minute write 3.75,
		// 1-hour write 6, read 0.30, output 15 (thinking is output).
		expect(cost).toBe(addDecimals('0.003', '0.000375', '0.0012', '0.000015', '0.006'));
	});

	it('Anthropic: each web search at the published 10 USD per 1,000, web fetches recorded at no fee, stream or not', () => {
		const usage = {
			input_tokens: 1000,
			output_tokens: 200,
			server_tool_use: { web_search_requests: 3, web_fetch_requests: 2 },
		};
		const { usage: read, cost } = priced(
			{
				id: 'msg_2',
				type: 'message',
				role: 'assistant',
				model: 'claude-sonnet-4-5',
				content: [],
				usage,
			},
			'anthropic',
		);
		expect(read).toMatchObject({ web_search_requests: 3, web_fetch_requests: 2 });
		// Tokens: 1,000 × 3 + 200 × 15 per million; searches: 3 × 0.01.
		expect(cost).toBe(addDecimals('0.003', '0.003', '0.03'));
		const stream = [
			'event: message_start',
			`data: ${JSON.stringify({ type: 'message_start', message: { id: 'msg_3', type: 'message', role: 'assistant', model: 'claude-sonnet-4-5', content: [], usage: { input_tokens: 1000, output_tokens: 1 } } })}`,
			'',
			'event: message_delta',
			`data: ${JSON.stringify({ type: 'message_delta', delta: { stop_reason: 'end_turn' }, usage })}`,
			'',
		].join('\n');
		expect(priced(stream, 'anthropic').cost).toBe(cost);
	});

	it('OpenAI Responses: every web_search_call item of the output is a search at 10 USD per 1,000', () => {
		const body = {
			id: 'resp_2',
			object: 'response',
			model: 'gpt-4.1',
			status: 'completed',
			output: [
				{ type: 'web_search_call', id: 'ws_1', status: 'completed' },
				{ type: 'web_search_call', id: 'ws_2', status: 'completed' },
				{ type: 'message', id: 'msg_1', role: 'assistant', content: [] },
			],
			usage: { input_tokens: 1000, output_tokens: 100, total_tokens: 1100 },
		};
		const { usage, cost } = priced(body, 'openai');
		expect(usage.web_search_requests).toBe(2);
		// gpt-4.1: input 2, output 8 per million; searches 2 × 0.01.
		expect(cost).toBe(addDecimals('0.002', '0.0008', '0.02'));
	});

	it('leaves the cost empty, never low, when searches ran on a model without a per-search price', () => {
		const prices = {
			overrides: overrideLookup([
				{ model: 'house-model', perMillion: { input: '1', output: '2' } },
			]),
			catalog: genaiPricesLookup,
		};
		const usage = {
			...extractUsage({
				id: 'msg_4',
				type: 'message',
				role: 'assistant',
				model: 'house-model',
				content: [],
				usage: { input_tokens: 10, output_tokens: 10, server_tool_use: { web_search_requests: 1 } },
			}),
			provider: 'anthropic',
		};
		expect(priceUsage(usage, prices)).toEqual({
			cost_usd: null,
			price_source: null,
			warning: expect.stringContaining(
				'1 web searches, which override has no per-search price for',
			),
		});
		const withSearch = {
			...prices,
			overrides: overrideLookup([
				{
					model: 'house-model',
					perMillion: { input: '1', output: '2' },
					perThousandSearches: '25',
				},
			]),
		};
		expect(priceUsage(usage, withSearch).cost_usd).toBe(addDecimals('0.00001', '0.00002', '0.025'));
	});
});
