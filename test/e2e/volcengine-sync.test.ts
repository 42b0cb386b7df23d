import { toDecimal } from '../../common/money';
import { workflowCredentials } from './harness/credentials';
import { readWorkflow, startEnvironment, type Environment } from './harness/environment';
import { stage } from './harness/timing';
import {
	ACCESS_KEYS,
	ACCOUNT_ID,
	BALANCE,
	OVERVIEW_ROWS,
	VOLCENGINE_AK,
	VOLCENGINE_SK,
	volcengineStandIn,
} from './standins/volcengine';

jest.setTimeout(30 * 60 * 1000);

const volcengine = volcengineStandIn();
const workflow = readWorkflow('volcengine-sync.json');
let environment: Environment;

function credentials(secretAccessKey: string) {
	return (postgres: Environment['postgres']) =>
		workflowCredentials({
			postgres,
			database: 'keypilot',
			volcengine: { accessKeyId: VOLCENGINE_AK, secretAccessKey, endpoint: volcengine.url },
		});
}

/** n8n's own HTTP Request node calling a Volcengine action with the Volcengine credential. */
function httpRequestWorkflow(url: string) {
	const credential = { volcengineApi: { id: 'kpVolcengine0001', name: 'Volcengine account' } };
	return {
		id: 'kpTestVolcHttp01',
		name: 'Volcengine through the HTTP Request node',
		active: false,
		settings: { executionOrder: 'v1' },
		connections: { Start: { main: [[{ node: 'Balance', type: 'main', index: 0 }]] } },
		nodes: [
			{
				id: 'a1',
				name: 'Start',
				type: 'n8n-nodes-base.manualTrigger',
				typeVersion: 1,
				position: [0, 0],
				parameters: {},
			},
			{
				id: 'a2',
				name: 'Balance',
				type: 'n8n-nodes-base.httpRequest',
				typeVersion: 4.2,
				position: [220, 0],
				credentials: credential,
				parameters: {
					method: 'POST',
					url: `${url}/`,
					authentication: 'predefinedCredentialType',
					nodeCredentialType: 'volcengineApi',
					sendQuery: true,
					queryParameters: {
						parameters: [
							{ name: 'Action', value: 'QueryBalanceAcct' },
							{ name: 'Version', value: '2022-01-01' },
						],
					},
					sendHeaders: true,
					headerParameters: { parameters: [{ name: 'X-Volcengine-Service', value: 'billing' }] },
					sendBody: true,
					specifyBody: 'json',
					jsonBody: '{}',
					options: {},
				},
			},
		],
	};
}

beforeAll(async () => {
	await volcengine.start();
	environment = await startEnvironment({
		credentials: credentials(VOLCENGINE_SK),
		workflows: [workflow, httpRequestWorkflow(volcengine.url)],
	});
});

afterAll(async () => {
	await volcengine.stop();
	await environment?.stop();
});

/** The month Volcengine bills in (China Standard Time), as the workflow asks for it. */
function currentBillPeriod(): string {
	return new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 7);
}

async function rows(sql: string) {
	return await environment.postgres.query<Record<string, string | null>>('keypilot', sql);
}

describe('workflows/volcengine-sync.json in a real n8n', () => {
	it('signs every request through the credential and stores balance, bill and keys exactly', async () => {
		const result = await stage('n8n execute (volcengine)', () =>
			environment.n8n.execute(workflow.id),
		);
		expect({ code: result.code, stderr: result.stderr.slice(-2000) }).toEqual({
			code: 0,
			stderr: expect.any(String),
		});

		const actions = volcengine.requests.map((r) => r.query.get('Action'));
		expect(actions.filter((a) => a === 'ListBillOverviewByProd')).toHaveLength(3);
		expect(
			volcengine.requests.every((r) =>
				/^HMAC-SHA256 Credential=AKLT/.test(String(r.headers.authorization)),
			),
		).toBe(true);
		const pages = volcengine.requests
			.filter((r) => r.query.get('Action') === 'ListBillOverviewByProd')
			.map((r) => JSON.parse(r.body) as { Offset?: number; Limit: number; BillPeriod: string });
		expect(pages.map((p) => [p.Offset ?? 0, p.Limit])).toEqual([
			[0, 100],
			[0, 100],
			[100, 100],
		]);
		expect(new Set(pages.map((p) => p.BillPeriod))).toEqual(new Set([currentBillPeriod()]));

		const [balance] = await rows(
			`SELECT account_id, available_balance::text AS available, cash_balance::text AS cash, credit_limit::text AS credit,
			        arrears_balance::text AS arrears, frozen_amount::text AS frozen, currency,
			        balance_date = (now() AT TIME ZONE 'UTC')::date AS today
			   FROM llm_account_balance WHERE provider = 'volcengine'`,
		);
		expect(balance).toEqual({
			account_id: String(ACCOUNT_ID),
			available: BALANCE.AvailableBalance,
			cash: BALANCE.CashBalance,
			credit: BALANCE.CreditLimit,
			arrears: BALANCE.ArrearsBalance,
			frozen: BALANCE.FreezeAmount,
			currency: 'CNY',
			today: true as unknown as string,
		});

		const bill = await rows(
			`SELECT account_id, bill_period, product, product_name, billing_mode, amount::text AS amount, original_amount::text AS original, currency
			   FROM llm_cost_monthly WHERE provider = 'volcengine' ORDER BY product`,
		);
		expect(
			bill.map((row) => ({
				...row,
				amount: toDecimal(String(row.amount)),
				original: toDecimal(String(row.original)),
			})),
		).toEqual(
			[...OVERVIEW_ROWS]
				.sort((a, b) => (a.Product < b.Product ? -1 : 1))
				.map((row) => ({
					account_id: String(ACCOUNT_ID),
					bill_period: currentBillPeriod(),
					product: row.Product,
					product_name: row.ProductZh,
					billing_mode: row.BillingMode,
					amount: toDecimal(row.PayableAmount),
					original: toDecimal(row.OriginalBillAmount),
					currency: 'CNY',
				})),
		);
		const [{ total }] = await rows(
			`SELECT sum(amount)::text AS total FROM llm_cost_monthly WHERE provider = 'volcengine'`,
		);
		expect(total).toBe('100005050.0100005050');

		const keys = await rows(
			`SELECT key_id, owner_type, owner_id, status, to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS created_at
			   FROM llm_api_keys WHERE provider = 'volcengine' ORDER BY key_id`,
		);
		expect(keys).toEqual([
			{
				key_id: 'AKLTbotKey02',
				owner_type: 'iam_user',
				owner_id: 'ops-bot',
				status: 'inactive',
				created_at: '2026-03-04T05:06:07Z',
			},
			{
				key_id: 'AKLTownKey01',
				owner_type: 'account',
				owner_id: null,
				status: 'active',
				created_at: '2026-01-02T03:04:05Z',
			},
		]);
		expect(keys).toHaveLength(ACCESS_KEYS.length);
	});

	it('leaves the same rows when run again', async () => {
		const snapshot = async () => ({
			bill: await rows(
				`SELECT product, billing_mode, amount::text FROM llm_cost_monthly ORDER BY 1, 2`,
			),
			balance: await rows(`SELECT account_id, available_balance::text FROM llm_account_balance`),
			keys: await rows(`SELECT key_id, status FROM llm_api_keys ORDER BY 1`),
		});
		const before = await snapshot();
		const result = await environment.n8n.execute(workflow.id);
		expect(result.code).toBe(0);
		expect(await snapshot()).toEqual(before);
	});

	it("signs n8n's HTTP Request node calls made with the Volcengine credential", async () => {
		const before = volcengine.requests.length;
		const result = await stage('n8n execute (HTTP Request node)', () =>
			environment.n8n.execute('kpTestVolcHttp01'),
		);
		expect({ code: result.code, stderr: result.stderr.slice(-2000) }).toEqual({
			code: 0,
			stderr: expect.any(String),
		});
		const [request] = volcengine.requests.slice(before);
		expect(request.query.get('Action')).toBe('QueryBalanceAcct');
		expect(request.headers['x-volcengine-service']).toBeUndefined();
		const [latest] = await environment.postgres.query<{ data: string }>(
			'n8n',
			'SELECT data FROM execution_data ORDER BY "executionId" DESC LIMIT 1',
		);
		expect(latest.data).toContain(BALANCE.AvailableBalance);
	});

	it('with a wrong secret, fails on SignatureDoesNotMatch, writes nothing new, and shows no secret', async () => {
		await environment.postgres.query('keypilot', 'TRUNCATE llm_costs, llm_account_balance');
		const wrongSecret = 'V3JvbmdTZWNyZXRGb3JUaGVFMkVUZXN0MDEyMzQ1Njc4OQ==';
		await environment.n8n.importCredentials(credentials(wrongSecret)(environment.postgres));
		const result = await stage('n8n execute (wrong secret)', () =>
			environment.n8n.execute(workflow.id),
		);
		expect(result.code).not.toBe(0);
		const output = result.stdout + result.stderr;
		expect(output).toContain('SignatureDoesNotMatch');
		expect(await rows('SELECT * FROM llm_cost_monthly')).toEqual([]);
		expect(await rows('SELECT * FROM llm_account_balance')).toEqual([]);

		const executions = await environment.postgres.query<{ data: string }>(
			'n8n',
			'SELECT data FROM execution_data',
		);
		expect(executions.length).toBeGreaterThan(0);
		for (const secret of [VOLCENGINE_SK, wrongSecret]) {
			expect(output).not.toContain(secret);
			for (const execution of executions) expect(execution.data).not.toContain(secret);
		}
	});
});
