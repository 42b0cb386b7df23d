import nock from 'nock';
import { NodeApiError, NodeOperationError, type IDataObject } from 'n8n-workflow';

import { hasJsonSourceText } from '../../common/exactJson';
import { VolcengineApi } from '../../packages/provider/credentials/VolcengineApi.credentials';
import { Volcengine } from '../../packages/provider/nodes/Volcengine/Volcengine.node';
import { byAction, volcengineDefinition } from '../contract/definitions/volcengine';
import { OpenApiContract } from '../contract/harness/openapi';
import { servedFixtures } from '../contract/harness/servedFixtures';
import { createExecuteContext, resultsOf } from '../helpers/executeContext';
import {
	verifyVolcengineSignature,
	volcengineErrorBody,
	type Verdict,
} from '../helpers/volcengineVerifier';

const ENDPOINT = 'https://open.volcengineapi.test';
const AK = 'AKLTunitTestAccessKey01';
const SK = 'WkRVNE1ETXhaVEF0WVRRMU5pMDBOakJsTFdFd09ETXRNR0k1WlRJMk5EZ3dNR0k0';
const separate = {
	keyFormat: 'separate',
	accessKeyId: AK,
	secretAccessKey: SK,
	region: 'cn-beijing',
	endpoint: ENDPOINT,
};

interface Seen {
	method: string;
	query: URLSearchParams;
	headers: Record<string, string>;
	body: string;
	verdict: Verdict;
}

/**
 * Intercepts every call to the endpoint, checks its signature as Volcengine would, and answers
 * with `answer(seen)` or, for a bad signature, Volcengine's SignatureDoesNotMatch error.
 */
function volcengineEndpoint(
	answer: (seen: Seen) => [number, unknown, Record<string, string>?],
	times = 1,
): Seen[] {
	const seen: Seen[] = [];
	const scope = nock(ENDPOINT);
	for (const method of ['GET', 'POST']) {
		scope
			.intercept(/.*/, method)
			.times(times)
			.reply(function (uri, body) {
				const url = new URL(uri, ENDPOINT);
				const headers: Record<string, string> = {};
				for (const [name, value] of Object.entries(this.req.headers))
					headers[name.toLowerCase()] = String(value);
				const text =
					typeof body === 'string' ? body : body === undefined ? '' : JSON.stringify(body);
				const verdict = verifyVolcengineSignature(
					{ method, path: url.pathname, rawQuery: url.search.slice(1), headers, body: text },
					(id) => (id === AK ? SK : undefined),
				);
				const entry = { method, query: url.searchParams, headers, body: text, verdict };
				seen.push(entry);
				if (!verdict.ok) return [401, volcengineErrorBody(verdict.code, verdict.message)];
				return answer(entry);
			});
	}
	return seen;
}

function result(body: IDataObject, action = 'Test') {
	return {
		ResponseMetadata: { RequestId: 'req-1', Action: action, Version: '', Service: '', Region: '' },
		Result: body,
	};
}

/** Every answer the fixtures below serve, judged at the end against the written definition. */
const fixtures = servedFixtures({
	specFile: () => OpenApiContract.fromDocument(volcengineDefinition),
	basePath: '',
	normalize: byAction,
	malformedOnPurpose: [],
	// Custom Action calls an ECS action; the written definition covers IAM and billing only.
	outsideDefinition: ['custom action signs any service'],
});

async function run(
	parameters: IDataObject,
	options: { credentials?: IDataObject; continueOnFail?: boolean } = {},
) {
	const context = createExecuteContext({
		nodeType: new Volcengine(),
		credentialType: new VolcengineApi(),
		credentials: (options.credentials ?? separate) as never,
		parameters,
		continueOnFail: options.continueOnFail,
		onResponse: fixtures.record,
	});
	const [output] = await new Volcengine().execute.call(context);
	return { output: resultsOf(output, String(parameters.resource)), context };
}

async function runError(parameters: IDataObject, credentials?: IDataObject): Promise<Error> {
	try {
		await run(parameters, { credentials });
	} catch (error) {
		return error as Error;
	}
	throw new Error('expected the node to fail');
}

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());
afterAll(() => nock.enableNetConnect());

describe('Volcengine: signed IAM calls', () => {
	it('lists access keys of a user with a signature Volcengine accepts, signed for iam in cn-north-1', async () => {
		const seen = volcengineEndpoint(() => [
			200,
			result({
				AccessKeyMetadata: [
					{
						AccessKeyId: 'AKLTa',
						Status: 'active',
						UserName: 'ops-bot',
						CreateDate: '20260101T000000Z',
						UpdateDate: '20260101T000000Z',
					},
					{
						AccessKeyId: 'AKLTb',
						Status: 'inactive',
						UserName: 'ops-bot',
						CreateDate: '20260201T000000Z',
						UpdateDate: '20260301T000000Z',
					},
				],
			}),
		]);
		const { output } = await run({
			resource: 'accessKey',
			operation: 'getAll',
			userName: 'ops-bot',
			returnAll: true,
		});
		expect(output.map((key) => key.AccessKeyId)).toEqual(['AKLTa', 'AKLTb']);
		expect(seen[0].verdict).toMatchObject({ ok: true, service: 'iam', region: 'cn-north-1' });
		expect(seen[0].query.get('Action')).toBe('ListAccessKeys');
		expect(seen[0].query.get('Version')).toBe('2018-01-01');
		expect(seen[0].query.get('UserName')).toBe('ops-bot');
		expect(seen[0].headers['x-volcengine-service']).toBeUndefined();
		expect(seen[0].verdict.ok && seen[0].verdict.signedHeaders).toEqual([
			'host',
			'x-content-sha256',
			'x-date',
		]);
	});

	it('creates an access key once and returns its secret; a 500 is not retried into a second key', async () => {
		const created = volcengineEndpoint(() => [
			200,
			result({
				AccessKey: {
					AccessKeyId: 'AKLTnew',
					SecretAccessKey: 'bmV3U2VjcmV0',
					Status: 'active',
					UserName: 'ops-bot',
					CreateDate: '20261125T000000Z',
				},
			}),
		]);
		const { output } = await run({
			resource: 'accessKey',
			operation: 'create',
			userName: 'ops-bot',
		});
		expect(output).toEqual([
			expect.objectContaining({ AccessKeyId: 'AKLTnew', SecretAccessKey: 'bmV3U2VjcmV0' }),
		]);
		expect(created).toHaveLength(1);

		const failing = volcengineEndpoint(
			() => [500, volcengineErrorBody('InternalError', 'try later')],
			5,
		);
		const error = await runError({
			resource: 'accessKey',
			operation: 'create',
			userName: 'ops-bot',
		});
		expect(error).toBeInstanceOf(NodeApiError);
		expect(failing).toHaveLength(1);
	});

	it('retries a throttled read (FlowLimitExceeded in a 200 body) and then succeeds', async () => {
		let calls = 0;
		const seen = volcengineEndpoint(() => {
			calls++;
			return calls === 1
				? [
						200,
						volcengineErrorBody('FlowLimitExceeded', 'Too many requests'),
						{ 'retry-after': '0' },
					]
				: [200, result({ AccessKeyMetadata: [] })];
		}, 2);
		const { output } = await run({ resource: 'accessKey', operation: 'getAll', returnAll: true });
		expect(output).toEqual([]);
		expect(seen).toHaveLength(2);
		expect(seen.every((s) => s.verdict.ok)).toBe(true);
	});

	it('counts an access key that is already gone as deleted when told to', async () => {
		volcengineEndpoint(
			() => [
				404,
				volcengineErrorBody('AccessKeyNotExist', "The accessKey 'AKLTb' can not be found"),
			],
			2,
		);
		const parameters = { resource: 'accessKey', operation: 'delete', accessKeyId: 'AKLTb' };
		expect((await runError(parameters)).message).toContain('404');
		const { output } = await run({ ...parameters, alreadyGoneIsDeleted: true });
		expect(output).toEqual([{ accessKeyId: 'AKLTb', deleted: true, already_gone: true }]);
	});

	it('updates an access key status and deletes a key', async () => {
		const seen = volcengineEndpoint(() => [200, result({})], 2);
		const updated = await run({
			resource: 'accessKey',
			operation: 'updateStatus',
			accessKeyId: 'AKLTa',
			status: 'inactive',
		});
		expect(updated.output).toEqual([{ accessKeyId: 'AKLTa', status: 'inactive' }]);
		const deleted = await run({
			resource: 'accessKey',
			operation: 'delete',
			accessKeyId: 'AKLTa',
			userName: 'ops-bot',
		});
		expect(deleted.output).toEqual([
			{ accessKeyId: 'AKLTa', userName: 'ops-bot', deleted: true, already_gone: false },
		]);
		expect(seen.map((s) => s.query.get('Action'))).toEqual(['UpdateAccessKey', 'DeleteAccessKey']);
		expect(seen[0].query.get('Status')).toBe('inactive');
	});

	// ListApiKeys as the official SDK model bounds it: Limit ≤ 1000, Offset ≤ 100.
	function apiKeysEndpoint(total: number, times: number) {
		const keys = Array.from({ length: total }, (_, n) => ({
			Id: String(1000 + n),
			Name: `key-${n}`,
			Status: 'active',
		}));
		return volcengineEndpoint((s) => {
			const offset = Number(s.query.get('Offset') ?? 0);
			const limit = Number(s.query.get('Limit'));
			if (offset > 100 || limit > 1000) {
				return [400, volcengineErrorBody('InvalidParameter', 'Offset must be at most 100')];
			}
			return [200, result({ ApiKeys: keys.slice(offset, offset + limit), Total: keys.length })];
		}, times);
	}

	it('reads every IAM API key in pages of 1000, never with an Offset above 100', async () => {
		const seen = apiKeysEndpoint(150, 1);
		const { output } = await run({ resource: 'apiKey', operation: 'getAll', returnAll: true });
		expect(output).toHaveLength(150);
		expect(seen.map((s) => [s.query.get('Offset'), s.query.get('Limit')])).toEqual([
			[null, '1000'],
		]);

		const many = apiKeysEndpoint(1100, 2);
		const all = await run({ resource: 'apiKey', operation: 'getAll', returnAll: true });
		expect(all.output).toHaveLength(1100);
		expect(new Set(all.output.map((key) => key.Id)).size).toBe(1100);
		expect(many.map((s) => [s.query.get('Offset'), s.query.get('Limit')])).toEqual([
			[null, '1000'],
			['100', '1000'],
		]);
	});

	it('says so when an account has more API keys than ListApiKeys can list', async () => {
		apiKeysEndpoint(1500, 2);
		const error = await runError({ resource: 'apiKey', operation: 'getAll', returnAll: true });
		expect(error.message).toBe(
			'Volcengine lists at most 1100 API keys in one ListApiKeys read, and this account has 1500 (item 0)',
		);
	});
});

describe('Volcengine: billing', () => {
	function overviewRow(n: number) {
		return {
			BillPeriod: '2026-11',
			Product: `product-${n}`,
			ProductZh: `产品${n}`,
			BillingMode: '2',
			PayableAmount: `${n}.0000000001`,
			OriginalBillAmount: '100000000.01',
			Currency: 'CNY',
		};
	}

	it('reads the bill overview to the end with Limit and Offset in the JSON body, amounts exact', async () => {
		const rows = Array.from({ length: 230 }, (_, n) => overviewRow(n));
		const seen = volcengineEndpoint((s) => {
			const body = JSON.parse(s.body) as IDataObject;
			const offset = Number(body.Offset ?? 0);
			return [
				200,
				result({
					List: rows.slice(offset, offset + Number(body.Limit)),
					Total: rows.length,
					Limit: body.Limit,
					Offset: offset,
				}),
			];
		}, 3);
		const { output } = await run({
			resource: 'billing',
			operation: 'getBillOverview',
			billPeriod: '2026-11',
			returnAll: true,
			filters: { product: 'ark, ecs', ignoreZero: true, billingMode: ['2', '1'] },
		});
		expect(output).toHaveLength(230);
		expect(output[229]).toMatchObject({
			Product: 'product-229',
			PayableAmount: '229.0000000001',
			OriginalBillAmount: '100000000.01',
		});
		const bodies = seen.map((s) => JSON.parse(s.body) as IDataObject);
		expect(bodies.map((b) => [b.Offset, b.Limit])).toEqual([
			[undefined, 100],
			[100, 100],
			[200, 100],
		]);
		expect(bodies[0]).toMatchObject({
			BillPeriod: '2026-11',
			Product: ['ark', 'ecs'],
			IgnoreZero: 1,
			BillingMode: ['2', '1'],
		});
		expect(
			seen.every((s) => s.method === 'POST' && s.verdict.ok && s.verdict.service === 'billing'),
		).toBe(true);
		expect(seen[0].verdict.ok && seen[0].verdict.signedHeaders).toContain('content-type');
	});

	it('keeps amounts with more digits than a double as text', async () => {
		volcengineEndpoint(() => [
			200,
			'{"ResponseMetadata":{"RequestId":"r","Action":"ListBillDetail","Version":"2022-01-01"},"Result":{"List":[{"BillDetailId":"d1","PayableAmount":"0.30000000000000004","RoundAmount":12345678901234.567891}],"Total":1}}',
		]);
		const { output } = await run({
			resource: 'billing',
			operation: 'getBillDetails',
			billPeriod: '2026-10',
			returnAll: true,
		});
		expect(output).toHaveLength(1);
		expect(output[0].PayableAmount).toBe('0.30000000000000004');
		expect(String(output[0].RoundAmount)).toBe(
			hasJsonSourceText ? '12345678901234.567891' : String(12345678901234.567891),
		);
	});

	it('gets the balance as decimal strings', async () => {
		volcengineEndpoint(() => [
			200,
			result({
				AccountID: 2100000001,
				AvailableBalance: '1234.56',
				CashBalance: '1000.00',
				CreditLimit: '500',
				ArrearsBalance: '0.00',
				FreezeAmount: '0.00',
				Currency: 'CNY',
			}),
		]);
		const { output } = await run({ resource: 'billing', operation: 'getBalance' });
		expect(output[0]).toMatchObject({ AvailableBalance: '1234.56', Currency: 'CNY' });
	});

	it('rejects a bill period that is not YYYY-MM before any request', async () => {
		const error = await runError({
			resource: 'billing',
			operation: 'getBillOverview',
			billPeriod: '2026-13',
			returnAll: true,
		});
		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error.message).toContain('"Bill Period" must be a month written YYYY-MM, got "2026-13"');
	});
});

describe('Volcengine: errors and credentials', () => {
	it('turns ResponseMetadata.Error into a NodeApiError with code, message and RequestId', async () => {
		volcengineEndpoint(() => [
			404,
			volcengineErrorBody('EntityNotExist.User', 'User ghost does not exist', {}, 'req-404-xyz'),
		]);
		const error = await runError({
			resource: 'accessKey',
			operation: 'getAll',
			userName: 'ghost',
			returnAll: true,
		});
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.message).toBe(
			'Volcengine returned 404: EntityNotExist.User: User ghost does not exist (RequestId req-404-xyz)',
		);
	});

	it('signs with an access_key_id:secret_access_key pair and an STS session token', async () => {
		const seen = volcengineEndpoint(() => [200, result({ AccessKeyMetadata: [] })]);
		await run(
			{ resource: 'accessKey', operation: 'getAll', returnAll: true },
			{
				credentials: {
					keyFormat: 'pair',
					secretKeyPair: ` ${AK}:${SK} `,
					sessionToken: 'sts-token-value-123',
					region: 'cn-beijing',
					endpoint: ENDPOINT,
				},
			},
		);
		expect(seen[0].verdict.ok).toBe(true);
		expect(seen[0].headers['x-security-token']).toBe('sts-token-value-123');
		expect(seen[0].verdict.ok && seen[0].verdict.signedHeaders).toContain('x-security-token');
	});

	it('names the field of a malformed key pair and never shows the secret', async () => {
		const error = await runError(
			{ resource: 'accessKey', operation: 'getAll', returnAll: true },
			{
				keyFormat: 'pair',
				secretKeyPair: `${AK}${SK}`,
				region: 'cn-beijing',
				endpoint: ENDPOINT,
			},
		);
		expect(error.message).toContain(
			'"Access Key Pair" must look like access_key_id:secret_access_key',
		);
		expect(JSON.stringify(error)).not.toContain(SK);
	});

	it('names the missing region', async () => {
		const error = await runError(
			{
				resource: 'customAction',
				operation: 'execute',
				service: 'ecs',
				version: '2020-04-01',
				action: 'DescribeInstances',
			},
			{ ...separate, region: '' },
		);
		expect(error.message).toContain('"Region" is empty in the Volcengine credential');
	});

	it('answers a wrong secret with SignatureDoesNotMatch, shown without the secret', async () => {
		volcengineEndpoint(() => [200, result({})]);
		const wrong = 'd3JvbmdTZWNyZXRLZXlWYWx1ZTAxMjM0NTY3ODk=';
		const error = await runError(
			{ resource: 'billing', operation: 'getBalance' },
			{ ...separate, secretAccessKey: wrong },
		);
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.message).toContain(
			'Volcengine did not accept the credential (401): SignatureDoesNotMatch',
		);
		expect(
			JSON.stringify({ message: error.message, description: (error as NodeApiError).description }),
		).not.toContain(wrong);
	});
});

describe('Volcengine: custom action', () => {
	it('signs any service, version and action, with query and JSON body, in the chosen region', async () => {
		const seen = volcengineEndpoint(() => [200, result({ Instances: [{ InstanceId: 'i-1' }] })]);
		const { output } = await run({
			resource: 'customAction',
			operation: 'execute',
			service: 'ecs',
			version: '2020-04-01',
			action: 'DescribeInstances',
			method: 'POST',
			queryJson: '{"MaxResults": 10, "InstanceIds": ["i-1", "i-2"], "Name": "a b*c~"}',
			bodyJson: '{"Filter": {"Zone": "cn-beijing-a"}}',
			region: 'cn-shanghai',
		});
		expect(output).toEqual([{ Instances: [{ InstanceId: 'i-1' }] }]);
		expect(seen[0].verdict).toMatchObject({ ok: true, service: 'ecs', region: 'cn-shanghai' });
		expect(seen[0].query.getAll('InstanceIds')).toEqual(['i-1', 'i-2']);
		expect(seen[0].query.get('Name')).toBe('a b*c~');
		expect(JSON.parse(seen[0].body)).toEqual({ Filter: { Zone: 'cn-beijing-a' } });
	});

	it('refuses a malformed action name and a body that is not JSON, naming the field', async () => {
		const base = {
			resource: 'customAction',
			operation: 'execute',
			service: 'ecs',
			version: '2020-04-01',
			method: 'POST',
		};
		expect((await runError({ ...base, action: 'describe instances' })).message).toContain(
			'"Action" must be an action name such as ListAccessKeys',
		);
		expect(
			(await runError({ ...base, action: 'DescribeInstances', bodyJson: '{oops' })).message,
		).toContain('"Body" is not valid JSON');
		expect(
			(await runError({ ...base, action: 'DescribeInstances', version: 'v2' })).message,
		).toContain('"Version" must be an API version written YYYY-MM-DD');
	});

	it('with Continue On Fail, a failing item becomes an error item paired with its input', async () => {
		volcengineEndpoint(() => [
			400,
			volcengineErrorBody(
				'InvalidActionOrVersion',
				'Could not find operation NoSuchThing for version 2020-04-01',
			),
		]);
		const { output } = await run(
			{
				resource: 'customAction',
				operation: 'execute',
				service: 'ecs',
				version: '2020-04-01',
				action: 'NoSuchThing',
			},
			{ continueOnFail: true },
		);
		expect(output[0].error).toContain(
			'InvalidActionOrVersion: Could not find operation NoSuchThing',
		);
	});
});

describe('Volcengine billing: as the official SDK models define it', () => {
	it('offers BillingMode as its codes and refuses names the API does not know, before any request', async () => {
		const filters = new Volcengine().description.properties.find(
			(p) => p.name === 'filters' && p.displayOptions?.show?.resource?.includes('billing'),
		);
		const modes = (
			filters?.options as Array<{ name: string; options?: Array<{ value: string }> }>
		).find((option) => option.name === 'billingMode');
		expect(modes?.options?.map((option) => option.value)).toEqual(['1', '2', '3', '4']);
		const error = await runError({
			resource: 'billing',
			operation: 'getBillOverview',
			billPeriod: '2026-11',
			filters: { billingMode: 'PostPaid' },
		});
		expect(error.message).toBe(
			'"Billing Modes" must be codes 1 (Subscription), 2 (Pay-as-You-Go), 3 (Contract), 4 (Fulfilment), got "PostPaid" (item 0)',
		);
	});

	it('asks for daily rows (GroupPeriod 1) whenever an Expense Date is given', async () => {
		const seen = volcengineEndpoint(() => [200, result({ List: [], Total: 0 })]);
		await run({
			resource: 'billing',
			operation: 'getBillDetails',
			billPeriod: '2026-11',
			returnAll: true,
			filters: { expenseDate: '2026-11-24' },
		});
		expect(JSON.parse(seen[0].body)).toMatchObject({ ExpenseDate: '2026-11-24', GroupPeriod: 1 });
	});
});

describe('the fixtures above', () => {
	it("serve only answers Volcengine's SDK models allow", async () => {
		const { judged, problems } = await fixtures.problems();
		expect(problems).toEqual([]);
		expect(judged).toBeGreaterThan(5);
	});
});
