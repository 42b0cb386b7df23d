import { addDecimals, shiftDecimal, toDecimal } from '../../common/money';
import { workflowCredentials } from './harness/credentials';
import {
	publishCalledWorkflows,
	readWorkflow,
	startEnvironment,
	type Environment,
} from './harness/environment';
import { stage } from './harness/timing';
import {
	ANTHROPIC_ADMIN_KEY,
	ANTHROPIC_BILLED,
	ANTHROPIC_BILLED_MODEL,
	ANTHROPIC_USAGE,
	anthropicStandIn,
} from './standins/anthropic';
import { COST_FIXTURES, OPENAI_ADMIN_KEY, openAiStandIn } from './standins/openai';
import {
	OPENROUTER_CREDITS,
	OPENROUTER_KEYS,
	OPENROUTER_MANAGEMENT_KEY,
	openRouterStandIn,
} from './standins/openrouter';
import {
	BALANCE,
	OVERVIEW_ROWS,
	VOLCENGINE_AK,
	VOLCENGINE_SK,
	volcengineStandIn,
} from './standins/volcengine';

jest.setTimeout(30 * 60 * 1000);

const standIns = {
	openai: openAiStandIn(),
	anthropic: anthropicStandIn(),
	openrouter: openRouterStandIn(),
	volcengine: volcengineStandIn(),
};
const all = readWorkflow('cost-sync-all.json');
const openAiSync = readWorkflow('openai-cost-sync.json');
const anthropicSync = readWorkflow('anthropic-sync.json');
const openRouterSync = readWorkflow('openrouter-sync.json');
const volcengineSync = readWorkflow('volcengine-sync.json');
const SUB_WORKFLOWS = [openAiSync, anthropicSync, openRouterSync, volcengineSync];
const SECRETS = [OPENAI_ADMIN_KEY, ANTHROPIC_ADMIN_KEY, OPENROUTER_MANAGEMENT_KEY, VOLCENGINE_SK];
let environment: Environment;

beforeAll(async () => {
	for (const standIn of Object.values(standIns)) await standIn.start();
	environment = await startEnvironment({
		credentials: (postgres) =>
			workflowCredentials({
				postgres,
				database: 'keypilot',
				openAi: { apiKey: OPENAI_ADMIN_KEY, baseUrl: `${standIns.openai.url}/v1` },
				anthropic: { apiKey: ANTHROPIC_ADMIN_KEY, baseUrl: standIns.anthropic.url },
				openRouter: {
					apiKey: OPENROUTER_MANAGEMENT_KEY,
					baseUrl: `${standIns.openrouter.url}/api/v1`,
				},
				volcengine: {
					accessKeyId: VOLCENGINE_AK,
					secretAccessKey: VOLCENGINE_SK,
					endpoint: standIns.volcengine.url,
				},
			}),
		workflows: [all, ...SUB_WORKFLOWS],
	});
	await stage('publish the called workflows', () =>
		publishCalledWorkflows(
			environment,
			SUB_WORKFLOWS.map((workflow) => workflow.id),
		),
	);
});

afterAll(async () => {
	for (const standIn of Object.values(standIns)) await standIn.stop();
	await environment?.stop();
});

const query = (sql: string) =>
	environment.postgres.query<Record<string, string | null>>('keypilot', sql);

/** First day of the synced period: the month, or the previous one in a month's first three days. */
function periodStart(): number {
	const threeDaysAgo = new Date(Date.now() - 3 * 86_400_000);
	return Date.UTC(threeDaysAgo.getUTCFullYear(), threeDaysAgo.getUTCMonth(), 1);
}
const day = (offset: number) =>
	new Date(periodStart() + offset * 86_400_000).toISOString().slice(0, 10);

async function snapshot() {
	return {
		costs: await query(
			`SELECT provider, project_id, line_item, to_char(cost_date, 'YYYY-MM-DD') AS day, amount::text FROM llm_cost_daily ORDER BY 1, 4, 2, 3, api_key_id`,
		),
		usage: await query(
			`SELECT provider, key_id, input_tokens::text, output_tokens::text, cache_read_tokens::text, cache_write_5m_tokens::text, cache_write_1h_tokens::text, cost_usd::text, limit_usd::text, limit_remaining::text FROM llm_api_key_usage ORDER BY 1, 2, snapshot_at`,
		),
		keys: await query(
			`SELECT provider, key_id, name, redacted_value, status FROM llm_api_keys ORDER BY 1, 2`,
		),
		balances: await query(
			`SELECT provider, available_balance::text, cash_balance::text FROM llm_account_balance ORDER BY 1`,
		),
		bills: await query(`SELECT product, amount::text FROM llm_cost_monthly ORDER BY 1`),
	};
}

async function truncateAll() {
	await environment.postgres.query(
		'keypilot',
		'TRUNCATE llm_costs, llm_api_key_usage, llm_api_keys, llm_account_balance',
	);
}

describe('workflows/cost-sync-all.json in a real n8n', () => {
	it('syncs every provider into the schema, every row exact, and ends with one summary', async () => {
		const result = await stage('n8n execute (cost sync all)', () =>
			environment.n8n.execute(all.id),
		);
		expect({ code: result.code, stderr: result.stderr.slice(-3000) }).toEqual({
			code: 0,
			stderr: expect.any(String),
		});
		const rows = await snapshot();

		const normalize = (list: Array<Record<string, string | null>>) =>
			list.map((row) => ({ ...row, amount: row.amount === null ? null : toDecimal(row.amount) }));
		// What Anthropic billed each key per day (Analytics API), by key, workspace and model.
		const byAmount = (a: { amount: string | null }, b: { amount: string | null }) =>
			a.amount! < b.amount! ? -1 : 1;
		expect(
			normalize(rows.costs.filter((row) => row.provider === 'anthropic')).sort(byAmount),
		).toEqual(
			ANTHROPIC_BILLED.map((bill) => ({
				provider: 'anthropic',
				project_id: '',
				line_item: ANTHROPIC_BILLED_MODEL,
				day: day(bill.dayOffset),
				amount: shiftDecimal(bill.amount, -2),
			})).sort(byAmount),
		);
		expect(rows.costs.filter((row) => row.provider === 'openai')).toHaveLength(
			COST_FIXTURES.length,
		);

		expect(rows.usage.filter((row) => row.provider === 'anthropic')).toEqual(
			ANTHROPIC_USAGE.map((usage) => ({
				provider: 'anthropic',
				key_id: usage.api_key_id,
				input_tokens: String(usage.uncached_input_tokens),
				output_tokens: String(usage.output),
				cache_read_tokens: String(usage.cache_read),
				cache_write_5m_tokens: String(usage.cache_5m),
				cache_write_1h_tokens: String(usage.cache_1h),
				cost_usd: null,
				limit_usd: null,
				limit_remaining: null,
			})),
		);

		const openRouterKeys = rows.keys.filter((row) => row.provider === 'openrouter');
		expect(openRouterKeys).toEqual(
			OPENROUTER_KEYS.map((key) => ({
				provider: 'openrouter',
				key_id: key.hash,
				name: key.name,
				redacted_value: key.label,
				status: key.disabled ? 'disabled' : 'active',
			})),
		);
		const openRouterUsage = rows.usage.filter((row) => row.provider === 'openrouter');
		expect(
			openRouterUsage.map((row) => [
				row.key_id,
				toDecimal(row.cost_usd!),
				row.limit_usd && toDecimal(row.limit_usd),
				row.limit_remaining && toDecimal(row.limit_remaining),
			]),
		).toEqual(
			OPENROUTER_KEYS.map((key) => [
				key.hash,
				toDecimal(key.usage),
				key.limit === null ? null : toDecimal(key.limit),
				key.limit_remaining === null ? null : toDecimal(key.limit_remaining),
			]),
		);
		expect(
			rows.balances.map((row) => [
				row.provider,
				toDecimal(row.available_balance!),
				toDecimal(row.cash_balance!),
			]),
		).toEqual([
			[
				'openrouter',
				addDecimals(OPENROUTER_CREDITS.total_credits, `-${OPENROUTER_CREDITS.total_usage}`),
				toDecimal(OPENROUTER_CREDITS.total_credits),
			],
			['volcengine', BALANCE.AvailableBalance, BALANCE.CashBalance],
		]);
		expect(rows.bills).toHaveLength(OVERVIEW_ROWS.length);

		const [execution] = await environment.postgres.query<{ data: string }>(
			'n8n',
			`SELECT d.data FROM execution_data d JOIN execution_entity e ON e.id = d."executionId"
			  WHERE e."workflowId" = $1 ORDER BY e.id DESC LIMIT 1`,
			[all.id],
		);
		expect(execution.data).toContain('"ok":4,"failed":0');
		for (const secret of SECRETS)
			expect(execution.data + result.stdout + result.stderr).not.toContain(secret);
	});

	it('leaves the same rows when run again', async () => {
		const before = await snapshot();
		const result = await environment.n8n.execute(all.id);
		expect(result.code).toBe(0);
		expect(await snapshot()).toEqual(before);
	});

	it('writes the same rows through the single-provider workflows', async () => {
		const before = await snapshot();
		await truncateAll();
		for (const workflow of [anthropicSync, openRouterSync]) {
			const result = await stage(`n8n execute (${workflow.id})`, () =>
				environment.n8n.execute(workflow.id),
			);
			expect({ code: result.code, stderr: result.stderr.slice(-2000) }).toEqual({
				code: 0,
				stderr: expect.any(String),
			});
		}
		const after = await snapshot();
		const only = (rows: Array<Record<string, string | null>>, providers: string[]) =>
			rows.filter((row) => providers.includes(String(row.provider)));
		expect(only(after.costs, ['anthropic'])).toEqual(only(before.costs, ['anthropic']));
		expect(after.usage).toEqual(only(before.usage, ['anthropic', 'openrouter']));
		expect(after.keys).toEqual(only(before.keys, ['openrouter']));
		expect(after.balances).toEqual(only(before.balances, ['openrouter']));
	});

	it('with one provider down, writes the others, and the execution shows the failure', async () => {
		await truncateAll();
		standIns.anthropic.failWith = 500;
		try {
			const result = await stage('n8n execute (anthropic down)', () =>
				environment.n8n.execute(all.id),
			);
			expect(result.code).not.toBe(0);
			expect(result.stdout + result.stderr).toContain('Cost sync failed for anthropic (');
			const rows = await snapshot();
			expect(rows.costs.filter((row) => row.provider === 'anthropic')).toEqual([]);
			expect(rows.costs.filter((row) => row.provider === 'openai')).toHaveLength(
				COST_FIXTURES.length,
			);
			expect(rows.keys.filter((row) => row.provider === 'openrouter')).toHaveLength(
				OPENROUTER_KEYS.length,
			);
			expect(rows.bills).toHaveLength(OVERVIEW_ROWS.length);
			const [execution] = await environment.postgres.query<{ data: string }>(
				'n8n',
				`SELECT d.data FROM execution_data d JOIN execution_entity e ON e.id = d."executionId"
			  WHERE e."workflowId" = $1 ORDER BY e.id DESC LIMIT 1`,
				[all.id],
			);
			expect(execution.data).toContain('"ok":3,"failed":1');
			expect(execution.data).toContain('Anthropic returned 500');
		} finally {
			standIns.anthropic.failWith = undefined;
		}
	});
});
