/**
 * The OpenAI and OpenRouter stand-ins the end-to-end tests run against answer what the official
 * definitions describe, for the requests our workflows send them, and refuse what the real APIs
 * refuse.
 */
import { ANTHROPIC_ADMIN_KEY, anthropicStandIn } from '../e2e/standins/anthropic';
import { OPENAI_ADMIN_KEY, openAiStandIn } from '../e2e/standins/openai';
import { OPENROUTER_MANAGEMENT_KEY, openRouterStandIn } from '../e2e/standins/openrouter';
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
				method: 'GET',
				url: '/organizations/cost_report?starting_at=2026-11-01T00:00:00Z&ending_at=2026-11-03T12:00:00Z',
				status: 400,
			},
		]);
		expect(problems).toEqual([]);
	});
});
