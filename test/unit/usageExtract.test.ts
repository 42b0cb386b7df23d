import { extractUsage } from '../../packages/ledger/core/usage/extract';
import { forEachSseEvent } from '../../packages/ledger/core/usage/sse';
import { UsageInputError } from '../../packages/ledger/core/usage/types';
import * as fixtures from '../fixtures/usage';

describe('usage from whole responses', () => {
	it('OpenAI Chat Completions: cached tokens taken out of the prompt count, reasoning kept inside output', () => {
		expect(extractUsage(fixtures.openAiChat)).toEqual({
			provider: 'openai',
			api_flavor: 'openai_chat',
			model: 'gpt-4o-2024-08-06',
			request_id: 'chatcmpl-B9MHDbslfkBeAs8l4bebGdFOJ6PeG',
			input_tokens: 1093,
			cache_read_tokens: 1024,
			cache_write_5m_tokens: null,
			cache_write_1h_tokens: null,
			output_tokens: 346,
			reasoning_tokens: 128,
			web_search_requests: null,
			web_fetch_requests: null,
			total_tokens: 2463,
			usage_complete: true,
			streamed: false,
			provider_cost_usd: null,
		});
	});

	it('OpenAI Responses, Embeddings and Azure OpenAI', () => {
		expect(extractUsage(fixtures.openAiResponses)).toMatchObject({
			api_flavor: 'openai_responses',
			model: 'gpt-4.1-2025-04-14',
			input_tokens: 600,
			cache_read_tokens: 3000,
			output_tokens: 870,
			reasoning_tokens: 500,
			total_tokens: 4470,
		});
		expect(extractUsage(fixtures.openAiEmbeddings)).toMatchObject({
			api_flavor: 'openai_embeddings',
			model: 'text-embedding-3-small',
			input_tokens: 8,
			output_tokens: 0,
			total_tokens: 8,
		});
		expect(extractUsage(fixtures.azureOpenAiChat)).toMatchObject({
			provider: 'azure_openai',
			api_flavor: 'azure_openai',
			input_tokens: 1093,
		});
	});

	it('Anthropic Messages: input already excludes the cache, 5-minute and 1-hour writes kept apart', () => {
		expect(extractUsage(fixtures.anthropicMessage)).toMatchObject({
			provider: 'anthropic',
			model: 'claude-sonnet-4-5-20250929',
			request_id: 'msg_01XFDUDYJgAACzvnptvVoYEL',
			input_tokens: 12,
			cache_read_tokens: 10000,
			cache_write_5m_tokens: 1000,
			cache_write_1h_tokens: 2000,
			output_tokens: 60,
			total_tokens: 13072,
		});
		const { cache_creation: _split, ...usage } = fixtures.anthropicMessage.usage;
		expect(extractUsage({ ...fixtures.anthropicMessage, usage })).toMatchObject({
			cache_write_5m_tokens: 3000,
			cache_write_1h_tokens: null,
		});
	});

	it('Gemini: cached content out of the prompt, thoughts billed as output', () => {
		expect(extractUsage(fixtures.geminiResponse)).toMatchObject({
			provider: 'google',
			model: 'gemini-2.5-pro',
			request_id: 'mAitaLmkHPPlz7IPvtfUqQ4',
			input_tokens: 500,
			cache_read_tokens: 1500,
			output_tokens: 550,
			reasoning_tokens: 250,
			total_tokens: 2550,
		});
	});

	it('OpenRouter with its reported cost, and Volcengine Ark by model or by host', () => {
		expect(extractUsage(fixtures.openRouterChat)).toMatchObject({
			provider: 'openrouter',
			model: 'openai/gpt-4o',
			input_tokens: 194,
			output_tokens: 2,
			provider_cost_usd: '0.000505',
		});
		expect(extractUsage(fixtures.volcengineArkChat)).toMatchObject({
			provider: 'volcengine',
			api_flavor: 'volcengine_ark',
			input_tokens: 19,
			output_tokens: 9,
		});
		const arkWithOtherModel = { ...fixtures.volcengineArkChat, model: 'deepseek-v3-250324' };
		expect(extractUsage(arkWithOtherModel).provider).toBe('openai');
		expect(
			extractUsage(arkWithOtherModel, {
				url: 'https://ark.cn-beijing.volces.com/api/v3/chat/completions',
			}).provider,
		).toBe('volcengine');
	});

	it('reads a JSON body given as text, and the manual provider wins over detection', () => {
		expect(extractUsage(JSON.stringify(fixtures.openAiChat)).input_tokens).toBe(1093);
		expect(extractUsage(fixtures.openAiChat, { flavor: 'openrouter' }).provider).toBe('openrouter');
	});
});

describe('usage from streams', () => {
	it('OpenAI: the final include_usage chunk', () => {
		expect(extractUsage(fixtures.openAiChatStream)).toMatchObject({
			api_flavor: 'openai_chat',
			model: 'gpt-4o-mini-2024-07-18',
			request_id: 'chatcmpl-stream-7',
			input_tokens: 9,
			output_tokens: 12,
			usage_complete: true,
			streamed: true,
		});
	});

	it('OpenAI without include_usage is logged as incomplete, never as zero', () => {
		const withoutUsage = fixtures.openAiChatStream
			.split('\n\n')
			.filter((event) => !event.includes('"prompt_tokens"'))
			.join('\n\n');
		expect(extractUsage(withoutUsage)).toMatchObject({
			input_tokens: null,
			output_tokens: null,
			total_tokens: null,
			usage_complete: false,
		});
	});

	it('Anthropic: input and cache from message_start, output from the latest message_delta, not their sum (CRLF lines)', () => {
		expect(extractUsage(fixtures.anthropicStream)).toMatchObject({
			provider: 'anthropic',
			request_id: 'msg_1nZdL29xx5MUA1yADyHTEsnR8uuvGzszyY',
			input_tokens: 25,
			cache_read_tokens: 4000,
			output_tokens: 15,
			usage_complete: true,
		});
	});

	it('Anthropic cut off before message_delta: known input kept, the placeholder output not counted', () => {
		expect(extractUsage(fixtures.anthropicStreamTruncated)).toMatchObject({
			input_tokens: 25,
			cache_read_tokens: 4000,
			output_tokens: null,
			total_tokens: 4025,
			usage_complete: false,
			streamed: true,
		});
	});

	it('OpenAI Responses: the usage of response.completed', () => {
		expect(extractUsage(fixtures.openAiResponsesStream)).toMatchObject({
			api_flavor: 'openai_responses',
			input_tokens: 600,
			output_tokens: 870,
			usage_complete: true,
		});
	});

	it('Gemini: the last chunk counts, and a finished stream is complete', () => {
		expect(extractUsage(fixtures.geminiStream)).toMatchObject({
			provider: 'google',
			model: 'gemini-2.5-flash',
			input_tokens: 2000,
			output_tokens: 140,
			reasoning_tokens: 100,
			usage_complete: true,
		});
	});

	it('parses SSE as the spec says: no space after "data:", CR line ends, comments, multi-line data', () => {
		const body = JSON.stringify({ ...fixtures.openAiChat, object: 'chat.completion.chunk' });
		const crOnly = `: keep-alive\rdata:${body}\r\rdata: [DONE]\r\r`;
		// Multi-line data is joined with a newline, which JSON allows between tokens only: split
		// the body where a newline is harmless.
		const cut = body.indexOf(',"created"');
		const multiLine = `: comment\ndata:${body.slice(0, cut)}\ndata:${body.slice(cut)}\n\n`;
		expect(extractUsage(multiLine)).toMatchObject({ input_tokens: 1093, streamed: true });
		expect(extractUsage(crOnly)).toMatchObject({ output_tokens: 346, streamed: true });
	});
});

describe('SSE parsing of large streams', () => {
	it('reads events the same when a CRLF falls across the 64 KB pieces the parser is fed', () => {
		const events: string[] = [];
		const comment = `: ${'x'.repeat(64 * 1024 - 3)}`;
		forEachSseEvent(`${comment}\r\ndata: {"a":1}\r\n\r\ndata: {"b":2}\r\n\r\n`, (event) =>
			events.push(event.data),
		);
		expect(comment.length + 1).toBe(64 * 1024);
		expect(events).toEqual(['{"a":1}', '{"b":2}']);
	});

	it('finds the usage at the end of a multi-megabyte Anthropic stream', () => {
		const delta =
			'event: content_block_delta\ndata: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"word "}}\n\n';
		const head = fixtures.anthropicStream.slice(
			0,
			fixtures.anthropicStream.indexOf('event: content_block_start'),
		);
		const tail = fixtures.anthropicStream.slice(
			fixtures.anthropicStream.indexOf('event: message_delta'),
		);
		expect(extractUsage(head + delta.repeat(40_000) + tail)).toMatchObject({
			input_tokens: 25,
			output_tokens: 15,
		});
	});
});

describe('bad responses name the field', () => {
	it.each([
		['text that is neither JSON nor SSE', 'hello there', 'Response'],
		['a body without usage', { ...fixtures.openAiChat, usage: undefined }, 'usage'],
		[
			'a negative count',
			{ ...fixtures.openAiChat, usage: { ...fixtures.openAiChat.usage, prompt_tokens: -5 } },
			'prompt_tokens',
		],
		[
			'a fractional count',
			{
				...fixtures.anthropicMessage,
				usage: { ...fixtures.anthropicMessage.usage, output_tokens: 1.5 },
			},
			'output_tokens',
		],
		['an unknown provider', { hello: 'world' }, 'Provider'],
	])('%s', (_name, response, field) => {
		let caught: unknown;
		try {
			extractUsage(response);
		} catch (error) {
			caught = error;
		}
		expect(caught).toBeInstanceOf(UsageInputError);
		expect((caught as UsageInputError).field).toBe(field);
	});
});
