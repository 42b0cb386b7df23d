/**
 * The OpenAI and OpenRouter stand-ins the end-to-end tests run against answer what the official
 * definitions describe, for the requests our workflows send them, and refuse what the real APIs
 * refuse.
 */
import { ANTHROPIC_ADMIN_KEY, anthropicStandIn } from '../e2e/standins/anthropic';
import { chatStandIn, UPSTREAM_KEY } from '../e2e/standins/chat';
import { AGENT_OPENAI_KEY, agentOpenAiStandIn } from '../e2e/standins/agentModels';
import { KEY_COST_FIXTURES, OPENAI_ADMIN_KEY, openAiStandIn } from '../e2e/standins/openai';
import { OpenAiServiceAccounts } from '../e2e/standins/openaiServiceAccounts';
import { OPENROUTER_MANAGEMENT_KEY, openRouterStandIn } from '../e2e/standins/openrouter';
import { OpenRouterKeyStore } from '../e2e/standins/openrouterKeys';
import {
	API_KEYS,
	VOLCENGINE_AK,
	VOLCENGINE_SK,
	volcengineStandIn,
} from '../e2e/standins/volcengine';
import type { IDataObject } from 'n8n-workflow';

import { VolcengineApi } from '../../packages/provider/credentials/VolcengineApi.credentials';
import { Volcengine } from '../../packages/provider/nodes/Volcengine/Volcengine.node';
import { createExecuteContext, resultsOf } from '../helpers/executeContext';
import { byAction, volcengineDefinition } from './definitions/volcengine';
import type { StandIn } from '../e2e/standins/server';
import { anthropicDefinition } from './definitions/anthropic';
import { OpenApiContract } from './harness/openapi';

interface Exchange {
	method: string;
	url: string;
	body?: unknown;
	/** The status the stand-in must answer with. */
	status: number;
}

async function judgeExchanges(
	contract: OpenApiContract,
	standIn: StandIn,
	basePath: string,
	headers: Record<string, string>,
	exchanges: Exchange[],
) {
	const problems: string[] = [];
	const answers: unknown[] = [];
	for (const exchange of exchanges) {
		const verdict = contract.check(exchange);
		problems.push(...verdict.errors.map((error) => `request ${exchange.url}: ${error}`));
		const response = await fetch(`${standIn.url}${basePath}${exchange.url}`, {
			method: exchange.method,
			headers: { ...headers, 'content-type': 'application/json' },
			body: exchange.body === undefined ? undefined : JSON.stringify(exchange.body),
		});
		const body = (await response.json()) as unknown;
		answers.push(body);
		if (response.status !== exchange.status)
			problems.push(`${exchange.url}: status ${response.status}, expected ${exchange.status}`);
		if (verdict.operationId && response.status < 400)
			problems.push(
				...contract
					.responseErrors(verdict.operationId, body, response.status)
					.map((error) => `answer to ${exchange.method} ${exchange.url}: ${error}`),
			);
	}
	return { problems, answers };
}

describe("AI Agent's OpenAI-compatible model stand-in", () => {
	let contract: OpenApiContract;
	const standIn = agentOpenAiStandIn();
	beforeAll(async () => {
		contract = await OpenApiContract.load('openai-openapi.yaml', ['/chat/completions']);
		await standIn.start();
	});
	afterAll(() => standIn.stop());

	it('answers a tool call, then the tool result, as the definition of POST /chat/completions says', async () => {
		const tools = [
			{
				type: 'function',
				function: {
					name: 'calculator',
					parameters: { type: 'object', properties: { input: { type: 'string' } } },
				},
			},
		];
		const question = { role: 'user', content: 'What is 2 + 3?' };
		const call = {
			role: 'assistant',
			content: null,
			tool_calls: [
				{
					id: 'call_1',
					type: 'function',
					function: { name: 'calculator', arguments: '{"input":"2 + 3"}' },
				},
			],
		};
		const { problems, answers } = await judgeExchanges(
			contract,
			standIn,
			'/v1',
			{ authorization: `Bearer ${AGENT_OPENAI_KEY}` },
			[
				{
					method: 'POST',
					url: '/chat/completions',
					body: { model: 'gpt-4o-mini', messages: [question], tools, max_tokens: 256 },
					status: 200,
				},
				{
					method: 'POST',
					url: '/chat/completions',
					body: {
						model: 'gpt-4o-mini',
						messages: [
							question,
							call,
							{ role: 'tool', tool_call_id: 'call_1', content: '[{"response":"5"}]' },
						],
						tools,
						max_tokens: 256,
					},
					status: 200,
				},
				{
					method: 'POST',
					url: '/chat/completions',
					body: { model: 'gpt-4o-mini', messages: [question], reasoning_budget: 1 },
					status: 400,
				},
			],
		);
		expect(problems.filter((problem) => !problem.includes('reasoning_budget'))).toEqual([]);
		expect(answers[1]).toMatchObject({ choices: [{ message: { content: 'The result is 5.' } }] });
	});
});

describe("Gateway's OpenAI-compatible upstream stand-in", () => {
	let contract: OpenApiContract;
	const standIn = chatStandIn();
	beforeAll(async () => {
		contract = await OpenApiContract.load('openai-openapi.yaml', ['/chat/completions']);
		await standIn.start();
	});
	afterAll(() => standIn.stop());

	it('answers a tool call with an image part, and the answer after the tool, as the definition says; a spend limit in its error shape', async () => {
		const tools = [
			{
				type: 'function',
				function: {
					name: 'weather',
					parameters: { type: 'object', properties: { city: { type: 'string' } } },
				},
			},
		];
		const question = {
			role: 'user',
			content: [
				{ type: 'text', text: 'Weather where this was taken?' },
				{ type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' } },
			],
		};
		const { problems, answers } = await judgeExchanges(
			contract,
			standIn,
			'/v1',
			{ authorization: `Bearer ${UPSTREAM_KEY}` },
			[
				{
					method: 'POST',
					url: '/chat/completions',
					body: { model: 'gpt-4o-mini', messages: [question], tools, max_tokens: 50 },
					status: 200,
				},
				{
					method: 'POST',
					url: '/chat/completions',
					body: {
						model: 'gpt-4o-mini',
						messages: [
							question,
							{
								role: 'assistant',
								content: null,
								tool_calls: [
									{
										id: 'call_1',
										type: 'function',
										function: { name: 'weather', arguments: '{}' },
									},
								],
							},
							{ role: 'tool', tool_call_id: 'call_1', content: '{"temperature_c": 18}' },
						],
						tools,
						max_tokens: 50,
					},
					status: 200,
				},
				{
					method: 'POST',
					url: '/chat/completions',
					body: { model: 'spend-limit', messages: [{ role: 'user', content: 'hi' }] },
					status: 429,
				},
			],
		);
		expect(problems).toEqual([]);
		expect(answers[0]).toMatchObject({ choices: [{ finish_reason: 'tool_calls' }] });
		expect(answers[1]).toMatchObject({ choices: [{ message: { content: 'Hello!' } }] });
		// OpenAI's error object: message, type, param and code, all present.
		expect(answers[2]).toEqual({
			error: {
				message: expect.any(String),
				type: 'insufficient_quota',
				param: null,
				code: 'organization_spend_limit_exceeded',
			},
		});
	});
});

describe('OpenAI stand-in', () => {
	let contract: OpenApiContract;
	const standIn = openAiStandIn();
	beforeAll(async () => {
		contract = await OpenApiContract.load('openai-openapi.yaml', ['/organization']);
		await standIn.start();
	});
	afterAll(() => standIn.stop());

	it('answers costs, service accounts and projects as the definition says', async () => {
		const costs =
			'/organization/costs?start_time=1793491200&bucket_width=1d&group_by=project_id&group_by=line_item&limit=180';
		const { problems, answers } = await judgeExchanges(
			contract,
			standIn,
			'/v1',
			{ authorization: `Bearer ${OPENAI_ADMIN_KEY}` },
			[
				{ method: 'GET', url: costs, status: 429 },
				{ method: 'GET', url: costs, status: 200 },
				{ method: 'GET', url: `${costs}&page=page_2`, status: 200 },
				{
					method: 'POST',
					url: '/organization/projects/proj_1/service_accounts',
					body: { name: 'ci' },
					status: 200,
				},
				{ method: 'GET', url: '/organization/projects?limit=100', status: 200 },
			],
		);
		expect(problems).toEqual([]);
		expect((answers[1] as { data: unknown[] }).data).toHaveLength(2);
	});

	it('answers costs grouped by API key as the definition says (the reconciliation test reads them)', async () => {
		const costs =
			'/organization/costs?start_time=1793491200&bucket_width=1d&group_by=api_key_id&limit=180';
		const { problems, answers } = await judgeExchanges(
			contract,
			standIn,
			'/v1',
			{ authorization: `Bearer ${OPENAI_ADMIN_KEY}` },
			[{ method: 'GET', url: costs, status: 200 }],
		);
		expect(problems).toEqual([]);
		const results = (answers[0] as { data: Array<{ results: unknown[] }> }).data.flatMap(
			(bucket) => bucket.results,
		);
		expect(results).toHaveLength(KEY_COST_FIXTURES.length);
	});

	it('refuses a body field the definition does not have, as OpenAI does', async () => {
		const request = { name: 'ci', expires_at: 1 };
		expect(
			contract.check({
				method: 'POST',
				url: '/organization/projects/p/service_accounts',
				body: request,
			}).errors,
		).toEqual(['body.expires_at is not a field of the request schema']);
		const { answers } = await judgeExchanges(
			contract,
			standIn,
			'/v1',
			{ authorization: `Bearer ${OPENAI_ADMIN_KEY}` },
			[
				{
					method: 'POST',
					url: '/organization/projects/proj_1/service_accounts',
					body: request,
					status: 400,
				},
			],
		);
		expect(answers[0]).toMatchObject({
			error: { message: 'Unrecognized request argument supplied: expires_at', param: 'expires_at' },
		});
	});
});

describe('OpenAI service-account stand-in (key rotation)', () => {
	let contract: OpenApiContract;
	const accounts = new OpenAiServiceAccounts();
	const existing = accounts.add('proj_1', 'billing-svc');
	beforeAll(async () => {
		contract = await OpenApiContract.load('openai-openapi.yaml');
		await accounts.standIn.start();
	});
	afterAll(() => accounts.standIn.stop());

	it('answers create, list and delete as the definition says, and 404 for one that is gone', async () => {
		const { problems } = await judgeExchanges(
			contract,
			accounts.standIn,
			'/v1',
			{ authorization: `Bearer ${OPENAI_ADMIN_KEY}` },
			[
				{
					method: 'POST',
					url: '/organization/projects/proj_1/service_accounts',
					body: { name: 'billing-svc (rotation 0a1b2c3d)' },
					status: 200,
				},
				{
					method: 'GET',
					url: '/organization/projects/proj_1/service_accounts?limit=100',
					status: 200,
				},
				{
					method: 'DELETE',
					url: `/organization/projects/proj_1/service_accounts/${existing.id}`,
					status: 200,
				},
				{
					method: 'DELETE',
					url: `/organization/projects/proj_1/service_accounts/${existing.id}`,
					status: 404,
				},
			],
		);
		expect(problems).toEqual([]);
		expect([...accounts.accounts.values()].map((account) => account.name)).toEqual([
			'billing-svc (rotation 0a1b2c3d)',
		]);
	});
});

describe('OpenRouter stand-in', () => {
	let contract: OpenApiContract;
	const standIn = openRouterStandIn();
	beforeAll(async () => {
		contract = await OpenApiContract.load('openrouter-openapi.yaml');
		await standIn.start();
	});
	afterAll(() => standIn.stop());

	it('answers keys, workspaces and credits as the definition says', async () => {
		const { problems } = await judgeExchanges(
			contract,
			standIn,
			'/api/v1',
			{ authorization: `Bearer ${OPENROUTER_MANAGEMENT_KEY}` },
			[
				{
					method: 'POST',
					url: '/keys',
					body: { name: 'ci', limit: 5, limit_reset: 'monthly' },
					status: 201,
				},
				{ method: 'GET', url: '/keys?include_disabled=true&offset=0', status: 200 },
				{ method: 'GET', url: '/keys?offset=100', status: 200 },
				{ method: 'GET', url: '/workspaces?offset=0&limit=100', status: 200 },
				{
					method: 'DELETE',
					url: '/keys/f01d52606dc8f0a8303a7b5cc3fa07109c2e346cec7c0a16b40de462992ce943',
					status: 200,
				},
				{ method: 'GET', url: '/credits', status: 200 },
			],
		);
		expect(problems).toEqual([]);
	});
});

describe('OpenRouter key store stand-in (rotation and limit push-down)', () => {
	let contract: OpenApiContract;
	const store = new OpenRouterKeyStore();
	const hash = 'a'.repeat(64);
	const key = store.add({ hash, name: 'team-a' });
	beforeAll(async () => {
		contract = await OpenApiContract.load('openrouter-openapi.yaml');
		await store.standIn.start();
	});
	afterAll(() => store.standIn.stop());

	it('answers create, list, get, update and delete as the definition says', async () => {
		const { problems } = await judgeExchanges(
			contract,
			store.standIn,
			'/api/v1',
			{ authorization: `Bearer ${OPENROUTER_MANAGEMENT_KEY}` },
			[
				{
					method: 'POST',
					url: '/keys',
					body: {
						name: 'team-a (rotation 0a1b2c3d)',
						limit: 25.5,
						limit_reset: 'monthly',
						include_byok_in_limit: false,
					},
					status: 201,
				},
				{ method: 'GET', url: '/keys?include_disabled=true&offset=0', status: 200 },
				{ method: 'GET', url: `/keys/${hash}`, status: 200 },
				{
					method: 'PATCH',
					url: `/keys/${hash}`,
					body: { limit: 1, limit_reset: 'monthly' },
					status: 200,
				},
				{
					method: 'PATCH',
					url: `/keys/${hash}`,
					body: { limit: null, limit_reset: null },
					status: 200,
				},
				{ method: 'DELETE', url: `/keys/${hash}`, status: 200 },
				{ method: 'GET', url: '/workspaces?offset=0&limit=100', status: 200 },
			],
		);
		expect(problems).toEqual([]);
		expect(store.keys.has(hash)).toBe(false);
		expect(key.limit).toBeNull();
	});

	it('refuses what the definition refuses: unknown fields, a reset it does not have, an unknown key', async () => {
		const other = store.add({ name: 'team-b' });
		const refused = [
			{ method: 'POST', url: '/keys', body: { name: 'x', colour: 'red' } },
			{ method: 'PATCH', url: `/keys/${other.hash}`, body: { limit_reset: 'yearly' } },
		];
		for (const exchange of refused) expect(contract.check(exchange).errors).not.toEqual([]);
		const { problems } = await judgeExchanges(
			contract,
			store.standIn,
			'/api/v1',
			{ authorization: `Bearer ${OPENROUTER_MANAGEMENT_KEY}` },
			[
				...refused.map((exchange) => ({ ...exchange, status: 400 })),
				{ method: 'PATCH', url: `/keys/${other.hash}`, body: { limit: -1 }, status: 400 },
				{ method: 'DELETE', url: `/keys/${'b'.repeat(64)}`, status: 404 },
			],
		);
		expect(problems.filter((problem) => !problem.startsWith('request '))).toEqual([]);
	});

	it('answers a chat completion paid by a key as the definition says, and refuses a key past its limit', async () => {
		const paying = store.add({ name: 'paying', limit: 0.5 });
		const { problems } = await judgeExchanges(
			contract,
			store.standIn,
			'/api/v1',
			{ authorization: `Bearer ${paying.secret}` },
			[
				{
					method: 'POST',
					url: '/chat/completions',
					body: { model: 'openai/gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] },
					status: 200,
				},
				{
					method: 'POST',
					url: '/chat/completions',
					body: { model: 'openai/gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] },
					status: 200,
				},
				{
					method: 'POST',
					url: '/chat/completions',
					body: { model: 'openai/gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] },
					status: 402,
				},
			],
		);
		expect(problems).toEqual([]);
	});
});

describe('Anthropic stand-in', () => {
	let contract: OpenApiContract;
	const standIn = anthropicStandIn();
	const headers = { 'x-api-key': ANTHROPIC_ADMIN_KEY, 'anthropic-version': '2023-06-01' };
	beforeAll(async () => {
		contract = await OpenApiContract.fromDocument(anthropicDefinition);
		await standIn.start();
	});
	afterAll(() => standIn.stop());

	it('answers cost and usage reports as the reference says, and refuses a range off UTC midnights', async () => {
		const range = 'starting_at=2026-11-01T00:00:00Z&ending_at=2026-11-04T00:00:00Z';
		const { problems } = await judgeExchanges(contract, standIn, '/v1', headers, [
			{
				method: 'GET',
				url: `/organizations/cost_report?${range}&group_by[]=workspace_id&group_by[]=description&bucket_width=1d&limit=31`,
				status: 200,
			},
			{
				method: 'GET',
				url: `/organizations/cost_report?${range}&bucket_width=1d&limit=31&page=page_2`,
				status: 200,
			},
			{
				method: 'GET',
				url: `/organizations/usage_report/messages?${range}&bucket_width=1d&group_by[]=api_key_id&limit=31`,
				status: 200,
			},
			{
				// As the reconciliation reads it: by key and model, so each row carries its model.
				method: 'GET',
				url: `/organizations/usage_report/messages?${range}&bucket_width=1d&group_by[]=api_key_id&group_by[]=model&limit=31`,
				status: 200,
			},
			{
				method: 'GET',
				url: '/organizations/cost_report?starting_at=2026-11-01T00:00:00Z&ending_at=2026-11-03T12:00:00Z',
				status: 400,
			},
			// What the credential's Test button reads.
			{ method: 'GET', url: '/organizations/workspaces', status: 200 },
		]);
		expect(problems).toEqual([]);
	});

	it('answers billed cost by key (Analytics API) as the reference says, and only under its beta', async () => {
		const range = 'starting_at=2026-11-01T00:00:00Z&ending_at=2026-11-04T00:00:00Z';
		const beta = { ...headers, 'anthropic-beta': 'analytics-usage-cost-2026-08-24' };
		const query = `${range}&time_bucket_width=1d&group_by[]=api_key_id&group_by[]=workspace_id&group_by[]=model`;
		const served = await judgeExchanges(contract, standIn, '/v1', beta, [
			{ method: 'GET', url: `/organizations/analytics/cost?${query}`, status: 200 },
			{ method: 'GET', url: `/organizations/analytics/cost?${query}&page=page_2`, status: 200 },
		]);
		expect(served.problems).toEqual([]);
		const refused = await judgeExchanges(contract, standIn, '/v1', headers, [
			{ method: 'GET', url: `/organizations/analytics/cost?${query}`, status: 400 },
		]);
		expect(refused.problems).toEqual([]);
	});
});

describe('Volcengine stand-in', () => {
	let contract: OpenApiContract;
	const standIn = volcengineStandIn();
	beforeAll(async () => {
		contract = await OpenApiContract.fromDocument(volcengineDefinition);
		await standIn.start();
	});
	afterAll(() => standIn.stop());

	/** Runs the real node against the stand-in (signed requests) and judges every answer. */
	async function runNode(parameters: IDataObject) {
		const answers: Array<{
			url: string;
			method: string;
			requestBody?: string;
			status: number;
			body: string;
		}> = [];
		const context = createExecuteContext({
			nodeType: new Volcengine(),
			credentialType: new VolcengineApi(),
			credentials: {
				keyFormat: 'separate',
				accessKeyId: VOLCENGINE_AK,
				secretAccessKey: VOLCENGINE_SK,
				region: 'cn-beijing',
				endpoint: standIn.url,
			},
			parameters,
			onResponse: (answer) => answers.push(answer),
		});
		let error: Error | undefined;
		let output: IDataObject[] = [];
		try {
			const [items] = await new Volcengine().execute.call(context);
			output = resultsOf(items, String(parameters.resource));
		} catch (caught) {
			error = caught as Error;
		}
		const problems: string[] = [];
		for (const answer of answers) {
			const url = new URL(answer.url);
			const request = byAction({
				method: answer.method,
				url: url.pathname + url.search,
				...(answer.requestBody ? { body: JSON.parse(answer.requestBody) as unknown } : {}),
			});
			const { operationId, errors } = contract.check(request);
			problems.push(...errors.map((problem) => `request ${request.url}: ${problem}`));
			if (operationId && answer.status < 300)
				problems.push(
					...contract.responseErrors(operationId, JSON.parse(answer.body), answer.status),
				);
		}
		return { output, error, problems, answers };
	}

	it('answers balance, bill overview, access keys and API keys as the SDK models say', async () => {
		for (const parameters of [
			{ resource: 'billing', operation: 'getBalance' },
			{ resource: 'billing', operation: 'getBillOverview', billPeriod: '2026-11', returnAll: true },
			{ resource: 'accessKey', operation: 'getAll' },
			{ resource: 'accessKey', operation: 'create', userName: 'ops-bot' },
		]) {
			const { problems, error } = await runNode(parameters);
			expect({ parameters, problems, error: error?.message }).toEqual({
				parameters,
				problems: [],
				error: undefined,
			});
		}
	});

	it('refuses an Offset above 100 on ListApiKeys, as Volcengine does, and the node still reaches every key', async () => {
		const all = await runNode({ resource: 'apiKey', operation: 'getAll', returnAll: true });
		expect(all.problems).toEqual([]);
		expect(all.output.map((key) => key.Id)).toEqual(API_KEYS.map((key) => key.Id));
		const refused = await runNode({
			resource: 'customAction',
			operation: 'execute',
			service: 'iam',
			version: '2018-01-01',
			action: 'ListApiKeys',
			method: 'GET',
			queryJson: '{"Limit": 100, "Offset": 200}',
		});
		expect(refused.error?.message).toMatch(/InvalidParameter: Offset must be at most 100/);
	});
});
