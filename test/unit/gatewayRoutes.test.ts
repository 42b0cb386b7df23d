import { endpointUrl, isAzureOpenAi } from '../../packages/ledger/core/gateway/upstream';
import { countBody, modelList, ROUTES } from '../../packages/ledger/core/gateway/routes';
import { errorBody } from '../../packages/ledger/core/gateway/wire';
import {
	ANTHROPIC_TOOL_SYSTEM_OVERHEAD,
	boundEmbeddingsRequest,
	boundMessagesRequest,
	boundResponsesRequest,
} from '../../packages/ledger/core/usage/apiBounds';
import {
	beyondBound,
	boundChatRequest,
	meteredBody,
	reservationFor,
	withPartTokens,
} from '../../packages/ledger/core/usage/requestBound';

const PNG = 'iVBORw0KGgo'.repeat(10_000);

describe('Messages bound', () => {
	const messages = [{ role: 'user', content: 'Hello there' }];

	it('needs max_tokens, as Anthropic does, and takes it as the output bound', () => {
		expect(() => boundMessagesRequest({ model: 'claude-sonnet-4-5', messages })).toThrow(
			'"max_tokens" is required',
		);
		const bound = boundMessagesRequest({ model: 'claude-sonnet-4-5', messages, max_tokens: 300 });
		expect(bound).toMatchObject({ api: 'messages', outputTokens: 300, outputField: 'max_tokens' });
		expect(bound.promptTokens).toBeGreaterThanOrEqual(JSON.stringify(messages).length);
	});

	it('sets images and documents aside instead of counting their base64 bytes', () => {
		const image = { type: 'image', source: { type: 'base64', media_type: 'image/png', data: PNG } };
		const bound = boundMessagesRequest({
			model: 'claude-sonnet-4-5',
			max_tokens: 10,
			messages: [{ role: 'user', content: [{ type: 'text', text: 'What is this?' }, image] }],
		});
		expect(bound.unbounded).toEqual([{ field: 'messages[0].content[1]', type: 'image' }]);
		expect(bound.promptTokens).toBeLessThan(500);
	});

	it("adds Anthropic's tool system prompt and sets its own tools aside", () => {
		const tools = [
			{ name: 'get_weather', input_schema: { type: 'object' } },
			{ type: 'web_search_20250305', name: 'web_search' },
		];
		const bound = boundMessagesRequest({
			model: 'claude-sonnet-4-5',
			max_tokens: 10,
			messages,
			tools,
		});
		expect(bound.promptTokens).toBeGreaterThan(ANTHROPIC_TOOL_SYSTEM_OVERHEAD);
		expect(bound.unbounded).toEqual([{ field: 'tools[1]', type: 'web_search_20250305' }]);
	});
});

describe('Responses bound', () => {
	it('lists provider-held state as unbounded and sets max_output_tokens when absent', () => {
		const bound = boundResponsesRequest({
			model: 'gpt-5',
			previous_response_id: 'resp_1',
			input: 'more',
		});
		expect(bound.unbounded).toEqual([
			{ field: 'previous_response_id', type: 'previous_response_id' },
		]);
		expect(bound.outputTokens).toBeUndefined();
		const sent = meteredBody(
			{ model: 'gpt-5', input: 'x', stream: true },
			{ ...bound, outputTokens: 99 },
		);
		expect(sent).toEqual({ model: 'gpt-5', input: 'x', stream: true, max_output_tokens: 99 });
	});

	it('refuses an output limit under the 16 OpenAI accepts, and never clamps one below it', () => {
		expect(() =>
			boundResponsesRequest({ model: 'gpt-5', input: 'x', max_output_tokens: 10 }),
		).toThrow('"max_output_tokens" must be a whole number from 16 to');
		const bound = boundResponsesRequest({ model: 'gpt-5', input: 'x' });
		expect(
			reservationFor(bound, { type: 'tokens', remaining: String(bound.promptTokens + 15) }, 4096),
		).toBeUndefined();
		expect(
			reservationFor(bound, { type: 'tokens', remaining: String(bound.promptTokens + 16) }, 4096),
		).toMatchObject({ outputTokens: 16 });
	});

	it('refuses a request without input or state, naming the field', () => {
		expect(() => boundResponsesRequest({ model: 'gpt-5' })).toThrow(
			'"input" must be text or an array of input items, got nothing',
		);
	});

	it('bounds function tools by their bytes and sets hosted tools aside', () => {
		const bound = boundResponsesRequest({
			model: 'gpt-5',
			input: [
				{
					role: 'user',
					content: [{ type: 'input_image', image_url: 'data:image/png;base64,' + PNG }],
				},
			],
			tools: [{ type: 'function', name: 'f', parameters: {} }, { type: 'web_search' }],
		});
		expect(bound.unbounded.map((part) => part.type)).toEqual(['input_image', 'web_search']);
		expect(bound.promptTokens).toBeLessThan(500);
	});
});

describe('embeddings bound', () => {
	it('bounds text by bytes and token arrays by length, with no output', () => {
		const one = boundEmbeddingsRequest({ model: 'text-embedding-3-small', input: 'héllo' });
		const many = boundEmbeddingsRequest({ model: 'text-embedding-3-small', input: ['a', 'b'] });
		const ids = boundEmbeddingsRequest({
			model: 'text-embedding-3-small',
			input: [[1, 2, 3], [4]],
		});
		expect(one.promptTokens).toBeGreaterThanOrEqual(Buffer.byteLength('héllo'));
		expect(many.promptTokens).toBeGreaterThan(one.promptTokens - 6);
		expect(ids.promptTokens).toBeGreaterThanOrEqual(4);
		expect(meteredBody({ model: 'm', input: 'x' }, one)).toEqual({ model: 'm', input: 'x' });
	});

	it('refuses what is neither text nor token IDs', () => {
		expect(() => boundEmbeddingsRequest({ model: 'm', input: [{ text: 'x' }] })).toThrow(
			'"input[0]" must be text or an array of token IDs, got {"text":"x"}',
		);
	});
});

describe('parts without a byte bound', () => {
	const request = {
		model: 'gpt-4o',
		max_tokens: 5,
		messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: PNG } }] }],
	};

	it('take the provider count, else the upstream ceiling, else are refused saying how to allow them', () => {
		const bound = boundChatRequest(request, { collect: true });
		expect(withPartTokens(bound, { counted: 1000 }).promptTokens).toBe(bound.promptTokens + 1000);
		expect(withPartTokens(bound, { ceilings: { image_url: 1600 } }).promptTokens).toBe(
			bound.promptTokens + 1600,
		);
		expect(() => withPartTokens(bound, { ceilings: {}, upstream: 'openai' })).toThrow(
			'"messages[0].content[0]" is a part of type "image_url", whose tokens its bytes do not bound, and the upstream "openai" has no counter for it: to allow such parts, set a ceiling for "image_url" in llm_upstreams.part_token_ceilings',
		);
	});
});

describe('over-report', () => {
	const bound = boundMessagesRequest({
		model: 'claude-sonnet-4-5',
		max_tokens: 100,
		messages: [{ role: 'user', content: 'hi' }],
	});

	it('is a report beyond the prompt bound or the output bound', () => {
		expect(beyondBound(bound, { prompt: bound.promptTokens, output: 100 })).toBeUndefined();
		expect(beyondBound(bound, { prompt: bound.promptTokens + 1, output: 0 })).toEqual({
			bound_tokens: bound.promptTokens + 100,
			reported_tokens: bound.promptTokens + 1,
		});
		expect(beyondBound(bound, { prompt: 0, output: 101 })).toBeDefined();
	});
});

describe('wire shapes', () => {
	it("writes refusals in each client's error shape", () => {
		expect(errorBody('anthropic', 'unauthenticated', 'no')).toEqual({
			type: 'error',
			error: { type: 'authentication_error', message: 'no' },
		});
		expect(errorBody('openai', 'invalid_request', 'bad', 'model')).toEqual({
			error: { message: 'bad', type: 'invalid_request_error', param: 'model', code: null },
		});
	});

	it('lists models in the shape of the API the caller speaks', () => {
		expect(modelList('openai', [{ id: 'gpt-4o', created: 5, owned_by: 'openai' }])).toEqual({
			object: 'list',
			data: [{ id: 'gpt-4o', object: 'model', created: 5, owned_by: 'openai' }],
		});
		expect(
			modelList('anthropic', [{ id: 'claude-x', created_at: '2026-01-01T00:00:00Z' }]),
		).toEqual({
			data: [
				{
					type: 'model',
					id: 'claude-x',
					display_name: 'claude-x',
					created_at: '2026-01-01T00:00:00Z',
				},
			],
			has_more: false,
			first_id: 'claude-x',
			last_id: 'claude-x',
		});
	});

	it('sends a counter only the fields it accepts', () => {
		const messages = ROUTES.find((route) => route.name === 'messages')!;
		expect(
			countBody(messages, { model: 'c', messages: [], max_tokens: 5, stream: true, system: 's' }),
		).toEqual({ model: 'c', messages: [], system: 's' });
	});
});

describe('upstream endpoints', () => {
	it('puts the route below the base, keeping an Azure deployment and its api-version', () => {
		expect(endpointUrl('https://api.openai.com/v1/', 'chat/completions')).toBe(
			'https://api.openai.com/v1/chat/completions',
		);
		expect(
			endpointUrl(
				'https://acme.openai.azure.com/openai/deployments/gpt-4o?api-version=2024-10-21',
				'chat/completions',
			),
		).toBe(
			'https://acme.openai.azure.com/openai/deployments/gpt-4o/chat/completions?api-version=2024-10-21',
		);
		expect(endpointUrl('https://api.anthropic.com/v1', 'models', 'limit=1000&after_id=x')).toBe(
			'https://api.anthropic.com/v1/models?limit=1000&after_id=x',
		);
	});

	it("tells Azure OpenAI's hosts, which take the key as api-key, from everyone else's", () => {
		expect(isAzureOpenAi('https://acme.openai.azure.com/openai/v1')).toBe(true);
		expect(isAzureOpenAi('https://acme.cognitiveservices.azure.com/openai/v1')).toBe(true);
		expect(isAzureOpenAi('https://api.openai.com/v1')).toBe(false);
		expect(isAzureOpenAi('https://openai.azure.com.example.org/v1')).toBe(false);
		expect(isAzureOpenAi('not a url')).toBe(false);
	});
});
