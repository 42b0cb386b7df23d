/**
 * Every operation the OpenAI Admin node offers, with every parameter set its description allows,
 * sends requests that OpenAI's official OpenAPI definition accepts; the node reads the responses
 * that definition describes. Also prints how much of the definition's /organization API the
 * node can call.
 */
import { OpenAiAdminApi } from '../../packages/provider/credentials/OpenAiAdminApi.credentials';
import { OpenAiAdmin } from '../../packages/provider/nodes/OpenAiAdmin/OpenAiAdmin.node';
import { USAGE_TYPES } from '../../packages/provider/nodes/OpenAiAdmin/actions/usage/get';
import type { IDataObject } from 'n8n-workflow';

import { OpenApiContract, type CapturedRequest } from './harness/openapi';
import { contractSuite } from './harness/suite';
import type { Samples } from './harness/variants';

const BASE = 'https://api.openai.test/v1';

const samples: Samples = {
	startTime: '2026-11-01T00:00:00Z',
	endTime: '2026-11-03T00:00:00Z',
	effectiveAfter: '2026-11-01T00:00:00Z',
	effectiveBefore: '2026-11-02T00:00:00Z',
	asOf: '2026-11-25T12:00:00Z',
	expiresInSeconds: 86400,
	thresholdUsd: '250.50',
	certificate: '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----',
	email: 'ada@example.com',
	recipients: 'ada@example.com, ops@example.com',
	emails: 'ada@example.com, ops@example.com',
	certificateIds: 'cert_1, cert_2',
	modelIds: 'gpt-4o, gpt-4o-mini',
	projectIds: 'proj_1, proj_2',
	permissions: 'api.model.read, api.usage.read',
	eventTypes: 'api_key.created, project.created',
	// Every group-by the chosen usage type's endpoint defines (the node refuses the others).
	groupBy: (params: IDataObject) =>
		params.resource === 'usage'
			? USAGE_TYPES[String(params.usageType)].groupBy
			: ['project_id', 'line_item', 'api_key_id'],
};

/**
 * Answers the definition allows but its generated example does not show: the costs endpoint
 * shares `UsageResponse`, whose first result kind is a completions result, not a cost.
 */
const fixtures: Record<string, unknown> = {
	'usage-costs': {
		object: 'page',
		data: [
			{
				object: 'bucket',
				start_time: 1793491200,
				end_time: 1793577600,
				results: [
					{
						object: 'organization.costs.result',
						amount: { value: 0.0123, currency: 'usd' },
						line_item: 'gpt-4o, input',
						project_id: 'proj_1',
						api_key_id: 'key_1',
					},
				],
			},
		],
		has_more: false,
		next_page: null,
	},
};

let contract: OpenApiContract;

beforeAll(async () => {
	contract = await OpenApiContract.load('openai-openapi.yaml', ['/organization']);
});

contractSuite({
	title: 'OpenAI Admin',
	node: new OpenAiAdmin(),
	credentialType: new OpenAiAdminApi(),
	credentials: { apiKey: 'sk-admin-contract', organizationId: '', baseUrl: BASE },
	baseUrl: BASE,
	judge: () => contract,
	samples,
	fixtures,
	summary: (called) => {
		const all = contract.operations;
		const paths = new Set(all.map((op) => op.path));
		const calledPaths = new Set(
			all.filter((op) => called.has(op.operationId)).map((op) => op.path),
		);
		return [
			`OpenAI /organization paths the node calls: ${calledPaths.size}/${paths.size}; operations (method and path): ${called.size}/${all.length}`,
			...all
				.filter((op) => !called.has(op.operationId))
				.map((op) => `  not called: ${op.method} ${op.path}`),
		];
	},
});

describe('the judge', () => {
	it('refuses what the definition refuses', () => {
		const errorsOf = (request: CapturedRequest) => contract.check(request).errors;
		expect(
			contract.check({ method: 'POST', url: '/organization/groups', body: { name: 'ok' } }),
		).toEqual({
			operationId: 'create-group',
			errors: [],
		});
		expect(
			errorsOf({ method: 'POST', url: '/organization/groups', body: { name: 'ok', extra: 1 } }),
		).toEqual(['body.extra is not a field of the request schema']);
		expect(errorsOf({ method: 'POST', url: '/organization/groups', body: {} }).join()).toMatch(
			/required/,
		);
		expect(
			errorsOf({ method: 'GET', url: '/organization/costs?start_time=1&group_by[]=project_id' }),
		).toEqual(['query parameter "group_by[]" is not defined']);
		expect(errorsOf({ method: 'GET', url: '/organization/groups?limit=5000' }).join()).toMatch(
			/<= 1000/,
		);
		expect(
			errorsOf({ method: 'GET', url: '/organization/costs?start_time=1&bucket_width=1h' }).join(),
		).toMatch(/allowed values/);
		expect(errorsOf({ method: 'GET', url: '/organization/nothing' })).toEqual([
			'GET /organization/nothing is not in the definition',
		]);
	});

	it('says which operations and paths the definition has', () => {
		expect(contract.operations.length).toBeGreaterThan(100);
		expect(new Set(contract.operations.map((op) => op.path)).size).toBeGreaterThan(50);
	});
});
