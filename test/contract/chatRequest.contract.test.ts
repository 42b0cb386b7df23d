/**
 * The request the gateway sends upstream (Reserve for Chat Request's `metered_request`: the output
 * limit set when missing, `stream_options.include_usage` added to streams) is one OpenAI's
 * official definition of POST /chat/completions accepts, whatever the caller sent; and so are
 * the KeyPilot Chat Model's requests and the answers it reads.
 */
import {
	boundChatRequest,
	meteredBody,
	reservationFor,
} from '../../packages/ledger/core/usage/requestBound';
import {
	fromOpenAiAnswer,
	openAiChatBody,
	toOpenAiTools,
} from '../../packages/ledger/core/chat/openai';
import { OpenApiContract } from './harness/openapi';

let contract: OpenApiContract;

beforeAll(async () => {
	contract = await OpenApiContract.load('openai-openapi.yaml', ['/chat/completions']);
});

const messages = [
	{ role: 'system', content: 'Be brief.' },
	{ role: 'user', content: 'Hello' },
];

/** What the gateway would send for this caller body, with a quota that leaves 1,000 tokens. */
function sent(body: Record<string, unknown>) {
	const bound = boundChatRequest(body);
	const reservation = reservationFor(bound, { type: 'tokens', remaining: '1000' }, 4096)!;
	return meteredBody(body, { ...bound, outputTokens: reservation.outputTokens });
}

it.each([
	['no output limit (clamped)', { model: 'gpt-4o-mini', messages }],
	['max_tokens', { model: 'gpt-4o-mini', messages, max_tokens: 50 }],
	['max_completion_tokens and n', { model: 'o3-mini', messages, max_completion_tokens: 40, n: 2 }],
	['a stream without stream_options', { model: 'gpt-4o-mini', messages, stream: true }],
	[
		'a stream that turned usage off',
		{ model: 'gpt-4o-mini', messages, stream: true, stream_options: { include_usage: false } },
	],
	[
		'a web search (web_search_options)',
		{
			model: 'gpt-4o-mini-search-preview',
			messages,
			web_search_options: { search_context_size: 'low' },
		},
	],
	[
		'tools',
		{
			model: 'gpt-4o-mini',
			messages,
			tools: [
				{
					type: 'function',
					function: { name: 'lookup', parameters: { type: 'object', properties: {} } },
				},
			],
		},
	],
] as Array<[string, Record<string, unknown>]>)('%s', (_name, body) => {
	const request = sent(body);
	expect(contract.check({ method: 'POST', url: '/chat/completions', body: request })).toEqual({
		operationId: 'createChatCompletion',
		errors: [],
	});
	if (body.stream) expect(request.stream_options).toEqual({ include_usage: true });
});

it('would catch a rewrite the definition refuses', () => {
	const request = { ...sent({ model: 'gpt-4o-mini', messages }), max_output_tokens: 10 };
	expect(
		contract.check({ method: 'POST', url: '/chat/completions', body: request }).errors,
	).toContain('body.max_output_tokens is not a field of the request schema');
});

describe("the KeyPilot Chat Model's requests", () => {
	const tool = {
		type: 'function' as const,
		name: 'calculator',
		description: 'Evaluates arithmetic',
		inputSchema: { type: 'object', properties: { input: { type: 'string' } } },
	};
	const loop = [
		{ role: 'system' as const, content: [{ type: 'text', text: 'Use the calculator.' }] },
		{ role: 'user' as const, content: [{ type: 'text', text: 'What is 2 + 3?' }] },
		{
			role: 'assistant' as const,
			content: [
				{
					type: 'tool-call',
					toolCallId: 'call_1',
					toolName: 'calculator',
					input: '{"input":"2 + 3"}',
				},
			],
		},
		{
			role: 'tool' as const,
			content: [{ type: 'tool-result', toolCallId: 'call_1', result: [{ response: '5' }] }],
		},
	];

	it('a tool-loop step, with every option the node offers, is one the definition accepts', () => {
		const body = openAiChatBody(
			'gpt-4o-mini',
			loop,
			toOpenAiTools([tool], (t) => t.inputSchema),
			{
				maxTokens: 256,
				temperature: 0.7,
				topP: 1,
				presencePenalty: 0.5,
				frequencyPenalty: 0.5,
				stopSequences: ['END'],
				seed: 7,
			},
		);
		expect(contract.check({ method: 'POST', url: '/chat/completions', body: sent(body) })).toEqual({
			operationId: 'createChatCompletion',
			errors: [],
		});
	});

	it('the answer it reads is one the definition describes', () => {
		const answer = {
			id: 'chatcmpl-1',
			object: 'chat.completion',
			created: 1,
			model: 'gpt-4o-mini',
			choices: [
				{
					index: 0,
					message: {
						role: 'assistant',
						content: null,
						refusal: null,
						tool_calls: [
							{
								id: 'call_1',
								type: 'function',
								function: { name: 'calculator', arguments: '{"input":"2 + 3"}' },
							},
						],
					},
					logprobs: null,
					finish_reason: 'tool_calls',
				},
			],
			usage: { prompt_tokens: 50, completion_tokens: 10, total_tokens: 60 },
		};
		expect(contract.responseErrors('createChatCompletion', answer, 200)).toEqual([]);
		expect(fromOpenAiAnswer(answer).message.content).toEqual([
			{
				type: 'tool-call',
				toolCallId: 'call_1',
				toolName: 'calculator',
				input: '{"input":"2 + 3"}',
			},
		]);
	});
});

describe("OpenRouter's web searches, as the bound counts them", () => {
	let openRouter: OpenApiContract;

	beforeAll(async () => {
		openRouter = await OpenApiContract.load('openrouter-openapi.yaml', ['/chat/completions']);
	});

	it.each([
		['the web plugin', { plugins: [{ id: 'web', max_results: 3 }] }, 1],
		[
			'the web plugin with max_uses on Exa',
			{ plugins: [{ id: 'web', engine: 'exa', max_uses: 3 }] },
			3,
		],
		[
			'its search tool with max_uses on Exa',
			{ tools: [{ type: 'openrouter:web_search', parameters: { engine: 'exa', max_uses: 4 } }] },
			4,
		],
		[
			'its search tool on native search, which ignores max_uses for OpenAI models',
			{ tools: [{ type: 'openrouter:web_search', parameters: { max_uses: 4 } }] },
			null,
		],
		[
			'the dated search tool without a limit',
			{ tools: [{ type: 'web_search_2025_08_26', engine: 'exa' }] },
			null,
		],
	] as Array<[string, Record<string, unknown>, number | null]>)(
		'%s is a request OpenRouter defines, held as its searches',
		(_name, fields, searches) => {
			const body = { model: 'openai/gpt-4o', messages, max_tokens: 50, ...fields };
			expect(openRouter.check({ method: 'POST', url: '/chat/completions', body })).toMatchObject({
				errors: [],
			});
			expect(boundChatRequest(body).searches).toBe(searches);
		},
	);

	it('would catch a plugin OpenRouter does not define', () => {
		const body = {
			model: 'openai/gpt-4o',
			messages,
			plugins: [{ id: 'web', max_results: 'three' }],
		};
		expect(openRouter.check({ method: 'POST', url: '/chat/completions', body }).errors).not.toEqual(
			[],
		);
	});
});
