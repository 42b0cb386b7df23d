import { randomBytes } from 'node:crypto';

import * as gpt4o from 'gpt-tokenizer/model/gpt-4o';
import * as gpt4 from 'gpt-tokenizer/model/gpt-4';

import {
	boundMessagesRequest,
	boundResponsesRequest,
} from '../../packages/ledger/core/usage/apiBounds';
import {
	boundChatRequest,
	meteredBody,
	reservationFor,
	totalTokenBound,
	withChatSearch,
} from '../../packages/ledger/core/usage/requestBound';

import { addDecimals } from '../../common/money';

type Message = { role: 'system' | 'user' | 'assistant'; content: string };

/** OpenAI's own count of a chat prompt, by its tokenizers (o200k for gpt-4o, cl100k for gpt-4). */
function realPromptTokens(messages: Message[], tools?: unknown[]): number[] {
	return [gpt4o, gpt4].map((encoding) => {
		const count = (encoding as { countChatCompletionTokens?: (request: unknown) => number })
			.countChatCompletionTokens;
		return count ? count({ messages, tools }) : encoding.encodeChat(messages).length;
	});
}

function randomText(length: number, seed: number): string {
	const ranges: Array<[number, number]> = [
		[0x20, 0x7e],
		[0x4e00, 0x9fff],
		[0x0400, 0x04ff],
		[0x1f300, 0x1faff],
		[0x0600, 0x06ff],
		[0x0, 0x1f],
	];
	const bytes = randomBytes(length * 2);
	let text = '';
	for (let i = 0; i < length; i++) {
		const [low, high] = ranges[(bytes[i] + seed) % ranges.length];
		text += String.fromCodePoint(low + ((bytes[length + i] * 257 + i) % (high - low + 1)));
	}
	return text;
}

describe('request bound: never below what the provider counts', () => {
	const cases: Array<[string, Message[]]> = [
		['short English', [{ role: 'user', content: 'Hello' }]],
		['empty content', [{ role: 'user', content: '' }]],
		[
			'many short messages',
			Array.from(
				{ length: 200 },
				(_, n): Message => ({ role: n % 2 ? 'assistant' : 'user', content: 'a' }),
			),
		],
		['Chinese', [{ role: 'user', content: '请用三句话解释量子计算的基本原理。'.repeat(50) }]],
		['emoji', [{ role: 'user', content: '🎉🚀✨🔥'.repeat(300) }]],
		['code', [{ role: 'system', content: 'function f(x) { return x * 2; }\n'.repeat(200) }]],
		['repeated letters', [{ role: 'user', content: 'z'.repeat(5000) }]],
	];
	for (const [label, messages] of cases) {
		it(`holds for ${label}`, () => {
			const bound = boundChatRequest({ model: 'gpt-4o', messages });
			for (const real of realPromptTokens(messages))
				expect(bound.promptTokens).toBeGreaterThanOrEqual(real);
		});
	}

	it('holds for 100 random multilingual prompts, control characters included', () => {
		for (let seed = 0; seed < 100; seed++) {
			const messages: Message[] = Array.from({ length: 1 + (seed % 5) }, (_, n) => ({
				role: n % 2 ? 'assistant' : 'user',
				content: randomText(1 + ((seed * 37 + n * 101) % 400), seed + n),
			}));
			const bound = boundChatRequest({ model: 'gpt-4o', messages });
			for (const real of realPromptTokens(messages))
				expect(bound.promptTokens).toBeGreaterThanOrEqual(real);
		}
	});

	it('holds with tool definitions', () => {
		const tools = Array.from({ length: 5 }, (_, n) => ({
			type: 'function',
			function: {
				name: `tool_${n}`,
				description: 'Looks a thing up in the catalogue and returns every matching record',
				parameters: {
					type: 'object',
					properties: {
						query: { type: 'string', description: 'What to look for' },
						limit: { type: 'integer', enum: [1, 5, 10] },
					},
					required: ['query'],
				},
			},
		}));
		const messages: Message[] = [{ role: 'user', content: 'Find the red ones' }];
		const bound = boundChatRequest({ model: 'gpt-4o', messages, tools });
		for (const real of realPromptTokens(messages, tools))
			expect(bound.promptTokens).toBeGreaterThanOrEqual(real);
	});
});

describe('request bound: output, choices and what is sent', () => {
	const messages = [{ role: 'user', content: 'Hello' }];

	it('counts the output once per choice and the prompt once', () => {
		const bound = boundChatRequest({ model: 'gpt-4o', messages, max_tokens: 100, n: 3 });
		expect(bound).toMatchObject({ outputTokens: 100, choices: 3, outputField: 'max_tokens' });
		expect(totalTokenBound(bound)).toBe(bound.promptTokens + 300);
		expect(boundChatRequest({ model: 'o3-mini', messages }).outputField).toBe(
			'max_completion_tokens',
		);
		expect(boundChatRequest({ model: 'gpt-4o', messages, max_completion_tokens: 7 })).toMatchObject(
			{ outputTokens: 7, outputField: 'max_completion_tokens' },
		);
	});

	it.each([
		[{ max_tokens: -5 }, '"max_tokens" must be a whole number from 1 to 9007199254740991, got -5'],
		[
			{ max_tokens: 'abc' },
			'"max_tokens" must be a whole number from 1 to 9007199254740991, got "abc"',
		],
		[
			{ max_tokens: 1.5 },
			'"max_tokens" must be a whole number from 1 to 9007199254740991, got 1.5',
		],
		[{ max_tokens: [] }, '"max_tokens" must be a whole number from 1 to 9007199254740991, got []'],
		[{ n: 0 }, '"n" must be a whole number from 1 to 128, got 0'],
		[{ model: ['gpt-4o'] }, '"model" must be a non-empty string, got ["gpt-4o"]'],
		[{ messages: [] }, '"messages" must be a non-empty array'],
		[
			{ messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: 'x' } }] }] },
			'"messages[0].content[0]" is a part of type "image_url": no token bound is known for it, so it cannot be metered',
		],
		[
			{ max_tokens: 5, max_completion_tokens: 6 },
			'"max_tokens" and "max_completion_tokens" disagree: send one of them',
		],
	])('refuses %j', (change, message) => {
		expect(() => boundChatRequest({ model: 'gpt-4o', messages, ...change })).toThrow(message);
	});

	it('sets a missing output limit to what the quota can pay for, and asks a stream for its usage', () => {
		const bound = boundChatRequest({ model: 'gpt-4o', messages, n: 2, stream: true });
		const prompt = bound.promptTokens;
		const tokens = reservationFor(
			bound,
			{ type: 'tokens', remaining: String(prompt + 2 * 300 + 1) },
			4096,
		);
		expect(tokens).toEqual({ outputTokens: 300, amount: String(prompt + 600) });
		expect(reservationFor(bound, { type: 'tokens', remaining: null }, 4096)).toEqual({
			outputTokens: 4096,
			amount: String(prompt + 2 * 4096),
		});
		expect(
			reservationFor(bound, { type: 'tokens', remaining: String(prompt + 1) }, 4096),
		).toBeUndefined();
		const sent = meteredBody(
			{ model: 'gpt-4o', messages, n: 2, stream: true, stream_options: { foo: 1 } },
			{ ...bound, outputTokens: 300 },
		);
		expect(sent).toMatchObject({
			max_tokens: 300,
			stream_options: { foo: 1, include_usage: true },
		});
	});

	it('converts to USD exactly with the highest prices a token can have', () => {
		// Prices in units of $0.0000001: input 25, output 100.
		const prices = { input: '0.0000025', output: '0.00001' };
		const usd = (units: number) => {
			const text = String(units).padStart(8, '0');
			return `${Number(text.slice(0, -7))}.${text.slice(-7)}`.replace(/\.?0+$/, '');
		};
		const bound = boundChatRequest({ model: 'gpt-4o', messages, max_tokens: 10 });
		expect(reservationFor(bound, { type: 'usd', remaining: '5' }, 4096, prices)).toEqual({
			outputTokens: 10,
			amount: usd(bound.promptTokens * 25 + 10 * 100),
		});
		const open = boundChatRequest({ model: 'gpt-4o', messages });
		// $0.001 left (10000 units): after the prompt, as many whole output tokens as fit.
		const planned = reservationFor(open, { type: 'usd', remaining: '0.001' }, 4096, prices)!;
		const fits = Math.floor((10000 - open.promptTokens * 25) / 100);
		expect(planned).toEqual({
			outputTokens: fits,
			amount: usd(open.promptTokens * 25 + fits * 100),
		});
		expect(() => reservationFor(open, { type: 'usd', remaining: '1' }, 4096)).toThrow(
			'No price is known for this model',
		);
	});
});

describe('request bound: web searches the provider bills per search', () => {
	const prices = { input: '0.000003', output: '0.000015', search: '0.01' };
	const room = { type: 'usd' as const, remaining: '100' };
	const searchTool = (fields: Record<string, unknown> = {}) => ({
		type: 'web_search_20250305',
		name: 'web_search',
		...fields,
	});
	const ask = {
		model: 'claude-sonnet-4-5',
		max_tokens: 100,
		messages: [{ role: 'user', content: 'News?' }],
	};

	it('holds each search Anthropic may run (max_uses) at the per-search price on a USD quota', () => {
		const plain = boundMessagesRequest(ask);
		const searching = boundMessagesRequest({
			...ask,
			tools: [searchTool({ max_uses: 5 }), { name: 'lookup', input_schema: { type: 'object' } }],
		});
		expect(searching.searches).toBe(5);
		const without = reservationFor(plain, room, 4096, prices)!;
		const withSearches = reservationFor(
			{ ...searching, promptTokens: plain.promptTokens },
			room,
			4096,
			prices,
		)!;
		expect(withSearches.amount).toBe(addDecimals(without.amount, '0.05'));
		// A token quota does not pay for searches.
		expect(reservationFor(searching, { type: 'tokens', remaining: null }, 4096)!.amount).toBe(
			String(searching.promptTokens + 100),
		);
	});

	it('refuses a search tool without a limit on a USD quota, naming the field that sets one', () => {
		const open = boundMessagesRequest({ ...ask, tools: [searchTool()] });
		expect(open).toMatchObject({ searches: null, searchLimit: 'tools[0].max_uses' });
		expect(() => reservationFor(open, room, 4096, prices)).toThrow(
			'set "tools[0].max_uses" so that a USD quota can hold what its searches may cost',
		);
		const responses = boundResponsesRequest({
			model: 'gpt-4.1',
			input: 'News?',
			tools: [{ type: 'web_search' }],
		});
		expect(() => reservationFor(responses, room, 4096, prices)).toThrow('set "max_tool_calls"');
		const limited = boundResponsesRequest({
			model: 'gpt-4.1',
			input: 'News?',
			tools: [{ type: 'web_search' }],
			max_tool_calls: 3,
		});
		expect(limited.searches).toBe(3);
	});

	it('refuses searches on a USD quota when no per-search price is known for the model', () => {
		const searching = boundMessagesRequest({ ...ask, tools: [searchTool({ max_uses: 1 })] });
		expect(() =>
			reservationFor(searching, room, 4096, { input: '0.000003', output: '0.000015' }),
		).toThrow('no per-search price is known for this model');
	});

	describe('Chat Completions', () => {
		const chat = (fields: Record<string, unknown>) => ({
			model: 'gpt-4o-mini-search-preview',
			max_tokens: 100,
			messages: [{ role: 'user', content: 'News?' }],
			...fields,
		});
		const plain = boundChatRequest(chat({ model: 'gpt-4o-mini' }));

		it('holds the one search OpenAI bills for web_search_options or a search model, and counts it in the usage', () => {
			for (const request of [
				chat({}),
				chat({ model: 'gpt-4o-mini', web_search_options: {} }),
				chat({ model: 'openai/gpt-4o-search-preview-2025-03-11' }),
				chat({ model: 'gpt-5-search-api' }),
			]) {
				expect(boundChatRequest(request)).toMatchObject({
					searches: 1,
					searchLimit: 'web_search_options',
				});
			}
			expect(plain.searches).toBe(0);
			expect(
				boundChatRequest(chat({ model: 'gpt-4o-mini', web_search_options: null })).searches,
			).toBe(0);
			const searching = boundChatRequest(chat({}));
			expect(reservationFor(searching, room, 4096, prices)!.amount).toBe(
				addDecimals(
					reservationFor({ ...plain, promptTokens: searching.promptTokens }, room, 4096, prices)!
						.amount,
					'0.01',
				),
			);
			// The answer reports no search; the usage gets the one billed, only when counts came.
			const counted = { api_flavor: 'openai_chat', web_search_requests: null, total_tokens: 120 };
			expect(withChatSearch(counted, searching)).toEqual({ ...counted, web_search_requests: 1 });
			expect(withChatSearch(counted, plain)).toBe(counted);
			const missing = { ...counted, total_tokens: null };
			expect(withChatSearch(missing, searching)).toBe(missing);
			// OpenRouter reports what it billed (its cost): nothing is added.
			const reported = { ...counted, api_flavor: 'openrouter' };
			expect(withChatSearch(reported, searching)).toBe(reported);
		});

		it("holds OpenRouter's web plugin, :online models and search tools by their max_uses", () => {
			expect(
				boundChatRequest(
					chat({ model: 'openai/gpt-4o', plugins: [{ id: 'web', max_results: 3 }] }),
				),
			).toMatchObject({ searches: 1, searchLimit: 'plugins[0]' });
			expect(
				boundChatRequest(chat({ model: 'openai/gpt-4o', plugins: [{ id: 'web', enabled: false }] }))
					.searches,
			).toBe(0);
			expect(boundChatRequest(chat({ model: 'openai/gpt-4o:online' }))).toMatchObject({
				searches: 1,
				searchLimit: 'model',
			});
			// Exa honours max_uses; OpenRouter's native search passes it only to Anthropic models.
			const tool = { type: 'openrouter:web_search', parameters: { engine: 'exa', max_uses: 4 } };
			expect(
				boundChatRequest(
					chat({
						model: 'openai/gpt-4o',
						tools: [tool, { ...tool, parameters: { engine: 'exa', max_uses: 2 } }],
					}),
				),
			).toMatchObject({ searches: 6, searchLimit: 'tools[0].parameters.max_uses' });
			expect(
				boundChatRequest(
					chat({
						model: 'anthropic/claude-sonnet-4.5',
						tools: [{ type: 'openrouter:web_search', parameters: { max_uses: 3 } }],
					}),
				).searches,
			).toBe(3);
			const native = boundChatRequest(
				chat({
					model: 'openai/gpt-4o',
					tools: [{ type: 'openrouter:web_search', parameters: { max_uses: 3 } }],
				}),
			);
			expect(native).toMatchObject({ searches: null, searchLimit: 'tools[0].parameters.engine' });
			const open = boundChatRequest(
				chat({
					model: 'openai/gpt-4o',
					tools: [tool, { type: 'web_search_2025_08_26', engine: 'exa' }],
				}),
			);
			expect(open).toMatchObject({ searches: null, searchLimit: 'tools[1].max_uses' });
			expect(() => reservationFor(open, room, 4096, prices)).toThrow('set "tools[1].max_uses"');
			expect(() =>
				boundChatRequest(
					chat({
						model: 'openai/gpt-4o',
						tools: [{ ...tool, parameters: { engine: 'exa', max_uses: -1 } }],
					}),
				),
			).toThrow('"tools[0].parameters.max_uses" must be a whole number');
			// The plugin: max_uses where the engine honours it; Anthropic's native search needs it.
			expect(
				boundChatRequest(
					chat({ model: 'openai/gpt-4o', plugins: [{ id: 'web', engine: 'exa', max_uses: 3 }] }),
				),
			).toMatchObject({ searches: 3, searchLimit: 'plugins[0].max_uses' });
			expect(
				boundChatRequest(chat({ model: 'anthropic/claude-sonnet-4.5', plugins: [{ id: 'web' }] })),
			).toMatchObject({ searches: null, searchLimit: 'plugins[0].max_uses' });
		});

		it('refuses a search on a USD quota when the model has no per-search price', () => {
			expect(() =>
				reservationFor(boundChatRequest(chat({ model: 'gpt-4o-search-preview' })), room, 4096, {
					input: '0.0000025',
					output: '0.00001',
				}),
			).toThrow('no per-search price is known for this model');
		});
	});
});
