/**
 * Every operation the Volcengine node offers, with every parameter set its description allows,
 * sends requests that Volcengine's official SDK models accept, written as data with a citation
 * per action in `definitions/volcengine.ts`.
 */
import type { IDataObject } from 'n8n-workflow';

import { VolcengineApi } from '../../packages/provider/credentials/VolcengineApi.credentials';
import { Volcengine } from '../../packages/provider/nodes/Volcengine/Volcengine.node';
import { byAction, volcengineDefinition } from './definitions/volcengine';
import { OpenApiContract } from './harness/openapi';
import { contractSuite } from './harness/suite';
import type { Samples } from './harness/variants';

const ENDPOINT = 'https://open.volcengineapi.test';

const samples: Samples = {
	billPeriod: '2026-11',
	expenseDate: '2026-11-02',
	userName: 'ops-bot',
	accessKeyId: 'AKLTYjEzZWIzNmM0ZDM3NDc0',
	apiKeyId: 'ak-1',
	product: 'ECS, ark',
	// Custom Action: an IAM action the node has no operation for (GET), or a billing one (POST).
	service: (params: IDataObject) => (params.method === 'POST' ? 'billing' : 'iam'),
	version: (params: IDataObject) => (params.method === 'POST' ? '2022-01-01' : '2018-01-01'),
	action: (params: IDataObject) => (params.method === 'POST' ? 'QueryBalanceAcct' : 'ListUsers'),
	queryJson: (params: IDataObject) =>
		params.method === 'POST' ? '{}' : '{"Limit": 10, "Query": "ops"}',
};

const metadata = { RequestId: '20261125120000ABCDEF', Action: 'x', Version: 'x' };
const bills = {
	ResponseMetadata: metadata,
	Result: {
		List: [{ BillPeriod: '2026-11', Product: 'ECS', BillingMode: '2', PayableAmount: '12.3400' }],
		Total: 1,
		Limit: 100,
		Offset: 0,
	},
};
const fixtures = {
	ListBillDetail: bills,
	ListBillOverviewByProd: bills,
	QueryBalanceAcct: {
		ResponseMetadata: metadata,
		Result: {
			AccountID: 2100000001,
			AvailableBalance: '100.50',
			CashBalance: '100.50',
			ArrearsBalance: '0.00',
			CreditLimit: '0.00',
			FreezeAmount: '0.00',
		},
	},
};

let contract: OpenApiContract;

beforeAll(async () => {
	contract = await OpenApiContract.fromDocument(volcengineDefinition);
});

contractSuite({
	title: 'Volcengine',
	node: new Volcengine(),
	credentialType: new VolcengineApi(),
	credentials: {
		keyFormat: 'separate',
		accessKeyId: 'AKLTcontractTest01',
		secretAccessKey: 'contractSecret',
		region: 'cn-beijing',
		endpoint: ENDPOINT,
	},
	baseUrl: ENDPOINT,
	judge: () => contract,
	samples,
	fixtures,
	normalize: byAction,
});

describe('the written Volcengine definition', () => {
	it('cites the official SDK for every action', () => {
		const paths = volcengineDefinition.paths as Record<
			string,
			Record<string, { 'x-source'?: string }>
		>;
		const sources = Object.values(paths).flatMap((item) =>
			Object.values(item).map((op) => op['x-source']),
		);
		expect(sources).toHaveLength(12);
		for (const source of sources)
			expect(source).toMatch(/^https:\/\/github\.com\/volcengine\/volcengine-go-sdk\//);
	});

	it('refuses what the SDK and the API pages refuse', () => {
		const errorsOf = (method: string, url: string, body?: unknown) =>
			contract.check(byAction({ method, url, body })).errors;
		expect(errorsOf('GET', '/?Action=ListApiKeys&Version=2018-01-01&Offset=200').join()).toMatch(
			/<= 100/,
		);
		expect(errorsOf('GET', '/?Action=ListApiKeys&Version=2018-01-01&Limit=1001').join()).toMatch(
			/<= 1000/,
		);
		expect(
			errorsOf('POST', '/?Action=ListBillDetail&Version=2022-01-01', {
				BillPeriod: '2026-11',
				Limit: 10,
				ExpenseDate: '2026-11-02',
			}).join(),
		).toMatch(/GroupPeriod/);
		expect(
			errorsOf('POST', '/?Action=ListBillOverviewByProd&Version=2022-01-01', {
				BillPeriod: '2026-11',
				Limit: 10,
				BillingMode: ['PostPaid'],
			}).join(),
		).toMatch(/allowed values/);
		expect(
			errorsOf('POST', '/?Action=ListBillDetail&Version=2022-01-01', {
				BillPeriod: '2026-11',
				Limit: 301,
			}).join(),
		).toMatch(/<= 300/);
	});
});
