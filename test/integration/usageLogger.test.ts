import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';

import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { LEDGER_SCHEMA_VERSION } from '../../packages/ledger/core/migrations';
import { UsageLogger } from '../../packages/ledger/nodes/UsageLogger/UsageLogger.node';
import * as fixtures from '../fixtures/usage';
import { freePort } from '../helpers/net';
import { TestPostgres } from '../helpers/postgres';
import { resultOf } from '../helpers/executeContext';
import { runWithPostgres } from '../helpers/postgresNode';

jest.setTimeout(5 * 60 * 1000);

const REPO_ROOT = join(__dirname, '..', '..');
const SHARED_TABLE = join(
	REPO_ROOT,
	'..',
	'shared',
	'data',
	'model_prices_and_context_window.json',
);
const postgres = new TestPostgres();
const API_KEY = 'sk-proj-UsageLoggerTestKey0123456789abcdef';

beforeAll(async () => {
	await postgres.start();
	await postgres.createDatabase('keypilot');
	await postgres.createDatabase('empty');
	await postgres.setUpLedger('keypilot');
});

afterAll(async () => {
	await postgres.stop();
});

beforeEach(async () => {
	await postgres.query('keypilot', 'TRUNCATE llm_usage_log');
});

async function run(
	parameters: IDataObject | IDataObject[],
	items: IDataObject[],
	options: Parameters<typeof runWithPostgres>[4] = {},
): Promise<INodeExecutionData[]> {
	const [output] = await runWithPostgres(new UsageLogger(), postgres, parameters, items, options);
	return output;
}

async function runError(
	parameters: IDataObject | IDataObject[],
	items: IDataObject[],
	database?: string,
) {
	try {
		await run(parameters, items, { database });
	} catch (error) {
		return error as Error;
	}
	throw new Error('expected the node to fail');
}

/** The Log parameters for a batch whose items carry the response in `response`. */
function logParameters(details: IDataObject = {}, extra: IDataObject = {}): IDataObject {
	return {
		operation: 'log',
		inputMode: 'response',
		response: '={{ $json.response }}',
		details: {
			apiKey: `Bearer ${API_KEY}`,
			route: '/v1/chat/completions',
			httpMethod: 'post',
			statusCode: 200,
			responseMs: 250,
			...details,
		},
		...extra,
	};
}

/** A context whose parameters are resolved per item from the item itself. */
function perItem(items: IDataObject[], make: (item: IDataObject) => IDataObject): IDataObject[] {
	return items.map(make);
}

const rows = () =>
	postgres.query<Record<string, unknown>>(
		'keypilot',
		`SELECT provider, api_flavor, model, request_id, key_hash, route, http_method, status_code, response_ms,
		        input_tokens::int, output_tokens::int, cache_read_tokens::int, cache_write_5m_tokens::int,
		        cache_write_1h_tokens::int, total_tokens::int, usage_complete, streamed, cost_usd::text, price_source
		   FROM llm_usage_log ORDER BY id`,
	);

describe('Usage Logger: Log on a real Postgres', () => {
	const batch = [
		{ response: fixtures.openAiChat },
		{ response: fixtures.anthropicStream },
		{ response: fixtures.anthropicStreamTruncated },
		{ response: fixtures.openRouterChat },
		{ response: fixtures.volcengineArkChat },
	];

	it('writes one row per request with normalized counts and exact costs, never the key', async () => {
		const hints: Array<{ message: string }> = [];
		const output = await run(
			perItem(batch, (item) => ({ ...logParameters(), response: item.response })),
			batch,
			{ hints },
		);
		// The unpriced model is also shown on the node, once.
		expect(hints.map((hint) => hint.message)).toEqual([
			expect.stringContaining('No price is known for model "doubao-1-5-pro-32k-250115"'),
		]);
		expect(output.map((item) => item.pairedItem)).toEqual(batch.map((_, item) => ({ item })));
		const keyHash = createHash('sha256').update(API_KEY).digest('hex');
		const stored = await rows();
		expect(stored).toHaveLength(5);
		expect(stored[0]).toEqual({
			provider: 'openai',
			api_flavor: 'openai_chat',
			model: 'gpt-4o-2024-08-06',
			request_id: 'chatcmpl-B9MHDbslfkBeAs8l4bebGdFOJ6PeG',
			key_hash: keyHash,
			route: '/v1/chat/completions',
			http_method: 'POST',
			status_code: 200,
			response_ms: 250,
			input_tokens: 1093,
			output_tokens: 346,
			cache_read_tokens: 1024,
			cache_write_5m_tokens: null,
			cache_write_1h_tokens: null,
			total_tokens: 2463,
			usage_complete: true,
			streamed: false,
			// genai-prices gpt-4o: 1093 × 2.5 + 1024 × 1.25 + 346 × 10, per million
			cost_usd: '0.007472500000000000',
			price_source: 'genai-prices',
		});
		expect(stored[1]).toMatchObject({
			provider: 'anthropic',
			output_tokens: 15,
			usage_complete: true,
			streamed: true,
		});
		expect(stored[2]).toMatchObject({
			provider: 'anthropic',
			output_tokens: null,
			usage_complete: false,
		});
		expect(stored[3]).toMatchObject({
			provider: 'openrouter',
			cost_usd: '0.000505000000000000',
			price_source: 'openrouter:reported',
		});
		// No price for doubao in genai-prices: cost NULL and a warning, never 0.
		expect(stored[4]).toMatchObject({ provider: 'volcengine', cost_usd: null, price_source: null });
		expect((output[4].json.usage as IDataObject).warning).toContain(
			'No price is known for model "doubao-1-5-pro-32k-250115"',
		);
		expect(output[0].json.usage).toMatchObject({
			key_hash: keyHash,
			cost_usd: '0.0074725',
			input_tokens: 1093,
		});
		expect(JSON.stringify(output)).not.toContain(API_KEY);
		const everything = await postgres.query('keypilot', 'SELECT * FROM llm_usage_log');
		expect(JSON.stringify(everything)).not.toContain(API_KEY);
	});

	it('counts the web search OpenAI billed a Chat Completions search request for, read from the request body', async () => {
		const answer = {
			id: 'chatcmpl-search-1',
			object: 'chat.completion',
			model: 'gpt-4o-mini-search-preview',
			choices: [],
			usage: { prompt_tokens: 100, completion_tokens: 20, total_tokens: 120 },
		};
		const ask = (model: string, extra: IDataObject = {}) => ({
			model,
			messages: [{ role: 'user', content: 'News?' }],
			...extra,
		});
		const items = [
			{ response: answer, request: ask('gpt-4o-mini-search-preview', { web_search_options: {} }) },
			{
				response: { ...answer, id: 'chatcmpl-search-2' },
				request: ask('gpt-4o-mini-search-preview'),
			},
			{ response: { ...answer, id: 'chatcmpl-plain' }, request: ask('gpt-4o-mini') },
			{ response: { ...answer, id: 'chatcmpl-no-request' }, request: '' },
		];
		await run(
			perItem(items, (item) => ({
				...logParameters({}, { response: item.response }),
				requestBody: item.request,
			})),
			items,
		);
		const stored = await postgres.query<{
			request_id: string;
			web_search_requests: number | null;
			cost_usd: string;
		}>(
			'keypilot',
			'SELECT request_id, web_search_requests, cost_usd::text FROM llm_usage_log ORDER BY id',
		);
		// genai-prices gpt-4o-mini-search-preview: 0.15 and 0.60 USD per million tokens in and out
		// (100 × 0.15 + 20 × 0.60 = 27 micro-USD), 10 USD per 1,000 searches.
		expect(stored).toEqual([
			{ request_id: 'chatcmpl-search-1', web_search_requests: 1, cost_usd: '0.010027000000000000' },
			{ request_id: 'chatcmpl-search-2', web_search_requests: 1, cost_usd: '0.010027000000000000' },
			{ request_id: 'chatcmpl-plain', web_search_requests: null, cost_usd: '0.000027000000000000' },
			{
				request_id: 'chatcmpl-no-request',
				web_search_requests: null,
				cost_usd: '0.000027000000000000',
			},
		]);
		const bad = await runError(
			{ ...logParameters({}, { response: answer }), requestBody: '{"model": ' },
			[{}],
		);
		expect(bad.message).toContain('"Request Body" must be the JSON request that was sent');
	});

	it('stores a request logged twice once', async () => {
		const items = [{ response: fixtures.openAiChat }];
		await run(logParameters({}, { response: fixtures.openAiChat }), items);
		await run(logParameters({}, { response: fixtures.openAiChat }), items);
		expect(await rows()).toHaveLength(1);
	});

	it('without Continue On Fail, one bad item fails the node naming item and field, and writes nothing', async () => {
		const items = [
			{ response: fixtures.openAiChat },
			{ response: { ...fixtures.openAiChat, usage: { prompt_tokens: -3 } } },
		];
		const error = await runError(
			perItem(items, (item) => ({ ...logParameters(), response: item.response })),
			items,
		);
		expect(error.message).toBe(
			'"prompt_tokens" must be a whole number of tokens, zero or more, got -3 (item 1)',
		);
		expect(await rows()).toEqual([]);
	});

	it('with Continue On Fail, bad items become error items and the good ones are written', async () => {
		const items = [
			{ response: 'not json at all' },
			{ response: fixtures.geminiResponse },
			{ response: { hello: 1 } },
		];
		const output = await run(
			perItem(items, (item) => ({ ...logParameters(), response: item.response })),
			items,
			{ continueOnFail: true },
		);
		expect(output.map((item) => item.json.error ?? 'ok')).toEqual([
			'The response is neither JSON nor a Server-Sent-Events stream (item 0)',
			'ok',
			'Could not tell which provider this response comes from: choose the Provider, or map the counts with the "Mapped Fields" input mode (item 2)',
		]);
		expect((await rows()).map((row) => row.provider)).toEqual(['google']);
	});

	it('refuses an operation it does not know instead of logging', async () => {
		const error = await runError({ operation: 'purge' }, [{}]);
		expect(error.message).toBe('The operation "purge" is not known');
	});

	it('under Continue, a batch it cannot write fails every item in the error shape, nothing passed on as logged', async () => {
		const items = [{ response: fixtures.geminiResponse }, { response: fixtures.geminiResponse }];
		const closedPort = await freePort();
		for (const onError of ['continueErrorOutput', 'continueRegularOutput'] as const) {
			const output = await run(
				perItem(items, (item) => ({ ...logParameters(), response: item.response })),
				items,
				{ onError, port: closedPort },
			);
			expect(output).toHaveLength(2);
			for (const [i, item] of output.entries()) {
				// Only error keys: n8n sends such an item to the error output, never on as a result.
				expect(Object.keys(item.json).sort()).toEqual(['error']);
				expect(item.json.error).toMatch(/refused the connection|Could not connect to Postgres/);
				expect(item.pairedItem).toEqual({ item: i });
			}
		}
	});

	it('takes mapped fields for any other source, and a given cost as is', async () => {
		const output = await run(
			{
				operation: 'log',
				inputMode: 'fields',
				providerName: 'my-proxy',
				model: 'llama-3-70b',
				inputTokens: 100,
				outputTokens: 20,
				knownCost: '0.0001234567891',
			},
			[{}],
		);
		expect(output[0].json.usage).toMatchObject({
			provider: 'my-proxy',
			total_tokens: 120,
			cost_usd: '0.0001234567891',
			price_source: 'given',
		});
		const bad = await runError(
			{ operation: 'log', inputMode: 'fields', providerName: 'x', inputTokens: -1 },
			[{}],
		);
		expect(bad.message).toBe(
			'"Input Tokens (Uncached)" must be a whole number of tokens, zero or more, got -1 (item 0)',
		);
	});

	// claude-sonnet-4-5 in the table (claude-sonnet-4-5-20250929 is listed too):
	// 12 × 3e-06 + 10000 × 3e-07 + 1000 × 3.75e-06 + 2000 × 6e-06 + 60 × 1.5e-05
	const TABLE_COST = '0.019686';

	it('prices from a LiteLLM-format table in binary input, with an override winning over everything', async () => {
		if (!existsSync(SHARED_TABLE)) return;
		const table = readFileSync(SHARED_TABLE);
		const items = [{ response: fixtures.anthropicMessage }, { response: fixtures.openRouterChat }];
		const output = await run(
			perItem(items, (item) => ({
				...logParameters(),
				response: item.response,
				priceTable: 'litellmBinary',
				priceTableBinaryProperty: 'prices',
				priceOverrides: { model: [{ model: 'openai/gpt-4o', input: '1', output: '2' }] },
			})),
			items,
			{
				binary: {
					prices: {
						data: table.toString('base64'),
						mimeType: 'application/json',
						fileName: 'model_prices_and_context_window.json',
					},
				},
			},
		);
		expect(output[0].json.usage).toMatchObject({
			cost_usd: TABLE_COST,
			price_source: 'litellm:binary:model_prices_and_context_window.json',
		});
		// 194 × 1 + 2 × 2, per million
		expect(output[1].json.usage).toMatchObject({ cost_usd: '0.000198', price_source: 'override' });

		const missing = await runError(
			{
				...logParameters({}, { response: fixtures.anthropicMessage }),
				priceTable: 'litellmBinary',
			},
			[{}],
		);
		expect(missing.message).toBe(
			'"Price Table Binary Property": the first input item has no binary property "data"',
		);
	});

	it("prices from a LiteLLM-format table at a URL, fetched with n8n's HTTP helper", async () => {
		if (!existsSync(SHARED_TABLE)) return;
		const server = createServer((request, response) => {
			if (request.url !== '/prices.json') return void response.writeHead(404).end();
			response.writeHead(200, { 'content-type': 'application/json' });
			response.end(readFileSync(SHARED_TABLE));
		});
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/prices.json`;
		try {
			const output = await run(
				{
					...logParameters({}, { response: fixtures.anthropicMessage }),
					priceTable: 'litellmUrl',
					priceTableUrl: url,
				},
				[{}],
			);
			expect(output[0].json.usage).toMatchObject({
				cost_usd: TABLE_COST,
				price_source: `litellm:${url}`,
			});
			const wrong = await runError(
				{
					...logParameters({}, { response: fixtures.anthropicMessage }),
					priceTable: 'litellmUrl',
					priceTableUrl: `${url}.missing`,
				},
				[{}],
			);
			expect(wrong.message).toBe(
				`Could not read the price table ${url}.missing: Request failed with status code 404`,
			);
		} finally {
			server.close();
		}
	});

	it('refuses a database without the ledger schema, naming the operation that sets it up', async () => {
		const error = await runError(
			logParameters({}, { response: fixtures.openAiChat }),
			[{}],
			'empty',
		);
		expect(error.message).toBe(
			`The ledger database is at schema version 0; these nodes need version ${LEDGER_SCHEMA_VERSION}`,
		);
		expect((error as Error & { description?: string }).description).toContain('Database → Set Up');
	});
});

describe('Usage Logger: Get Stats', () => {
	it('reads overview, hourly, top keys, top routes, one key and one route for a range', async () => {
		const at = (hour: number) => `2026-11-20T${String(hour).padStart(2, '0')}:15:00Z`;
		const calls = [
			{
				key: 'key-a',
				route: '/v1/chat/completions',
				hour: 9,
				status: 200,
				ms: 100,
				response: fixtures.openAiChat,
			},
			{
				key: 'key-a',
				route: '/v1/chat/completions',
				hour: 9,
				status: 500,
				ms: 300,
				response: { ...fixtures.openAiChat, id: 'chatcmpl-2' },
			},
			{
				key: 'key-b',
				route: '/v1/messages',
				hour: 10,
				status: 200,
				ms: 200,
				response: fixtures.anthropicMessage,
			},
		];
		await run(
			calls.map((call) => ({
				...logParameters({
					apiKey: call.key,
					route: call.route,
					statusCode: call.status,
					responseMs: call.ms,
					timestamp: at(call.hour),
				}),
				response: call.response,
			})),
			calls.map(() => ({})),
		);
		const stats = async (statistic: string, extra: IDataObject = {}) =>
			(
				await run(
					{
						operation: 'getStats',
						statistic,
						startTime: '2026-11-20T00:00:00Z',
						endTime: '2026-11-21T00:00:00Z',
						...extra,
					},
					[{}],
				)
			).map((item) => resultOf(item.json, 'usage'));
		const hashA = createHash('sha256').update('key-a').digest('hex');

		expect(await stats('overview')).toEqual([
			expect.objectContaining({
				calls: '3',
				errors: '1',
				avg_response_ms: '200.0',
				success_rate_percent: '66.67',
				unpriced_calls: '0',
			}),
		]);
		expect(
			(await stats('hourly')).map((row) => [
				new Date(row.hour as string).toISOString(),
				row.calls,
				row.errors,
			]),
		).toEqual([
			['2026-11-20T09:00:00.000Z', '2', '1'],
			['2026-11-20T10:00:00.000Z', '1', '0'],
		]);
		const top = await stats('topKeys', { limit: 1 });
		expect(top).toHaveLength(1);
		expect(top[0]).toMatchObject({ key_hash: expect.any(String), calls: expect.any(String) });
		expect((await stats('topRoutes')).map((row) => [row.route, row.calls])).toEqual([
			['/v1/chat/completions', '2'],
			['/v1/messages', '1'],
		]);
		expect(await stats('key', { key: hashA })).toEqual([
			expect.objectContaining({ key_hash: hashA, calls: '2', errors: '1' }),
		]);
		expect(await stats('route', { route: '/v1/messages' })).toEqual([
			expect.objectContaining({ route: '/v1/messages', calls: '1' }),
		]);
		expect(
			await stats('overview', {
				startTime: '2026-11-21T00:00:00Z',
				endTime: '2026-11-22T00:00:00Z',
			}),
		).toEqual([expect.objectContaining({ calls: '0', cost_usd: null })]);
	});
});
