import { toDecimal } from '../../common/money';
import { workflowCredentials } from './harness/credentials';
import { readWorkflow, startEnvironment, type Environment } from './harness/environment';
import type { N8nInstance } from './harness/n8n';
import type { TestPostgres } from '../helpers/postgres';
import { stage } from './harness/timing';
import { COST_FIXTURES, OPENAI_ADMIN_KEY, openAiStandIn } from './standins/openai';

jest.setTimeout(30 * 60 * 1000);

const openai = openAiStandIn();
const workflow = readWorkflow('openai-cost-sync.json');
let environment: Environment;
let postgres: TestPostgres;
let n8n: N8nInstance;

beforeAll(async () => {
	await openai.start();
	environment = await startEnvironment({
		credentials: (pg) =>
			workflowCredentials({
				postgres: pg,
				database: 'keypilot',
				openAi: { apiKey: OPENAI_ADMIN_KEY, baseUrl: `${openai.url}/v1` },
			}),
		workflows: [workflow],
	});
	({ postgres, n8n } = environment);
});

afterAll(async () => {
	await openai.stop();
	await environment?.stop();
});

function expectedRows() {
	const now = new Date();
	const threeDaysAgo = new Date(now.getTime() - 3 * 86400_000);
	const periodStart = Date.UTC(threeDaysAgo.getUTCFullYear(), threeDaysAgo.getUTCMonth(), 1);
	return COST_FIXTURES.map((fixture) => ({
		provider: 'openai',
		project_id: fixture.project_id ?? '',
		line_item: fixture.line_item ?? '',
		api_key_id: '',
		cost_date: new Date(periodStart + fixture.dayOffset * 86400_000).toISOString().slice(0, 10),
		amount: fixture.value,
		currency: 'USD',
	})).sort(byKey);
}

function byKey(a: Record<string, string>, b: Record<string, string>): number {
	const key = (row: Record<string, string>) =>
		[row.cost_date, row.project_id, row.line_item].join('\u0000');
	return key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0;
}

async function storedRows() {
	const rows = await postgres.query<Record<string, string>>(
		'keypilot',
		`SELECT provider, project_id, line_item, api_key_id, to_char(cost_date, 'YYYY-MM-DD') AS cost_date, amount::text AS amount, currency
		   FROM llm_cost_daily`,
	);
	return rows.map((row) => ({ ...row, amount: toDecimal(row.amount) })).sort(byKey);
}

describe('workflows/openai-cost-sync.json in a real n8n', () => {
	it('writes exactly the costs OpenAI served, across two pages and a 429', async () => {
		const result = await stage('n8n execute (first run)', () => n8n.execute(workflow.id));
		expect({ code: result.code, stderr: result.stderr.slice(-2000) }).toEqual({
			code: 0,
			stderr: expect.any(String),
		});

		const costRequests = openai.requests.filter((r) => r.path === '/v1/organization/costs');
		expect(costRequests.map((r) => r.query.get('page'))).toEqual([null, null, 'page_2']);
		expect(costRequests[1].query.getAll('group_by')).toEqual(['project_id', 'line_item']);

		expect(await storedRows()).toEqual(expectedRows());
	});

	it('leaves exactly the same rows when run again', async () => {
		const before = await storedRows();
		const result = await stage('n8n execute (second run)', () => n8n.execute(workflow.id));
		expect(result.code).toBe(0);
		expect(await storedRows()).toEqual(before);
		const [{ count }] = await postgres.query<{ count: string }>(
			'keypilot',
			'SELECT count(*)::text AS count FROM llm_cost_daily',
		);
		expect(Number(count)).toBe(COST_FIXTURES.length);
	});

	it('never writes the admin key into n8n output or execution data', async () => {
		const result = await n8n.execute(workflow.id);
		expect(result.stdout + result.stderr).not.toContain(OPENAI_ADMIN_KEY);
		const executions = await postgres.query<{ data: string }>(
			'n8n',
			'SELECT data FROM execution_data',
		);
		expect(executions.length).toBeGreaterThan(0);
		for (const execution of executions) expect(execution.data).not.toContain(OPENAI_ADMIN_KEY);
	});
});
