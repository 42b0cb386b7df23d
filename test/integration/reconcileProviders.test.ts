/**
 * Reconciliation beyond OpenAI, on a real PostgreSQL through the KeyPilot Ledger node: Anthropic's
 * per-key cost priced from its usage report (its cost report has no key grouping), and
 * OpenRouter's per-key daily spend from the running totals of its usage snapshots.
 */
import { calcPrice } from '@pydantic/genai-prices';
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { KeypilotLedger } from '../../packages/ledger/nodes/KeypilotLedger/KeypilotLedger.node';
import { TestPostgres } from '../helpers/postgres';
import { resultOf } from '../helpers/executeContext';
import { runWithPostgres } from '../helpers/postgresNode';

jest.setTimeout(5 * 60 * 1000);

const postgres = new TestPostgres();
const node = new KeypilotLedger();

beforeAll(async () => {
	await postgres.start();
	await postgres.createDatabase('keypilot');
	await postgres.setUpLedger('keypilot');
});

afterAll(async () => {
	await postgres.stop();
});

const query = (sql: string, params: unknown[] = []) => postgres.query('keypilot', sql, params);
/** The ledger's results: each output item's value under its resource's name. */
const results = (items: INodeExecutionData[], parameters: IDataObject | IDataObject[]) =>
	items.map((item) => ({
		...item,
		json: resultOf(
			item.json,
			String((Array.isArray(parameters) ? parameters[0] : parameters).resource),
		),
	}));
const json = (items: INodeExecutionData[]) => items.map((item) => item.json as IDataObject);
const run = async (parameters: IDataObject, items: IDataObject[] = [{}]) =>
	json(results((await runWithPostgres(node, postgres, parameters, items))[0], parameters));
const dayAgo = (days: number) =>
	new Date(Date.now() - days * 86_400_000).toISOString().slice(0, 10);
const [d1, d2] = [dayAgo(3), dayAgo(2)];
const reconcile = (providers: string[]) =>
	run({
		resource: 'reconciliation',
		operation: 'reconcile',
		firstDay: d1,
		lastDay: dayAgo(1),
		tolerance: 2,
		providers,
		output: 'all',
	});
const table = (rows: IDataObject[]) =>
	rows.map(({ api_key_id, day, metered_usd, billed_usd, status }) => ({
		api_key_id,
		day,
		metered_usd,
		billed_usd,
		status,
	}));

beforeEach(async () => {
	await query('TRUNCATE llm_costs, llm_api_keys, llm_usage_log, llm_cost_drift, llm_api_key_usage');
});

describe('Reconcile: Anthropic, priced from the usage report by key and model', () => {
	const usage = {
		bucket_start: `${d1}T00:00:00Z`,
		bucket_end: `${d2}T00:00:00Z`,
		api_key_id: 'apikey_01',
		workspace_id: 'wrkspc_1',
		model: 'claude-sonnet-4-20250514',
		uncached_input_tokens: 100_000,
		cache_read_input_tokens: 50_000,
		cache_creation_5m_input_tokens: 10_000,
		cache_creation_1h_input_tokens: 0,
		output_tokens: 20_000,
	};

	it('stores each key and model as priced usage and compares it with what was metered', async () => {
		const stored = await run(
			{ resource: 'cost', operation: 'store', provider: 'anthropic_usage' },
			[
				usage,
				{
					...usage,
					model: 'claude-3-5-haiku-20241022',
					output_tokens: 1_000_000,
					uncached_input_tokens: 0,
					cache_read_input_tokens: 0,
					cache_creation_5m_input_tokens: 0,
				},
				// Console usage has no key: unattributed.
				{ ...usage, api_key_id: null },
			],
		);
		expect(stored).toHaveLength(3);
		const [sonnet] = await query(
			`SELECT amount::text AS amount, billing_mode, line_item FROM llm_costs WHERE api_key_id = 'apikey_01' AND line_item LIKE 'claude-sonnet%'`,
		);
		// genai-prices' own calculation of the same tokens agrees.
		const check = calcPrice(
			{
				input_tokens: 160_000,
				cache_read_tokens: 50_000,
				cache_write_tokens: 10_000,
				output_tokens: 20_000,
			},
			usage.model,
			{ providerId: 'anthropic' },
		);
		expect(Number(sonnet.amount)).toBeCloseTo(check!.total_price, 12);
		expect(sonnet).toMatchObject({ amount: '0.6525', billing_mode: 'priced_usage' });

		await query(`INSERT INTO llm_api_keys (provider, key_id) VALUES ('anthropic', 'apikey_01')`);
		await query(
			`INSERT INTO llm_usage_log (logged_at, provider, key_id, cost_usd) VALUES ($1::date + interval '5 hours', 'anthropic', 'apikey_01', 4.6525)`,
			[d1],
		);
		expect(table(await reconcile(['anthropic']))).toEqual([
			{ api_key_id: '', day: d1, metered_usd: '0', billed_usd: '0.6525', status: 'unattributed' },
			// 0.6525 (Sonnet) + 4 (1M Haiku output tokens): matched exactly.
			{
				api_key_id: 'apikey_01',
				day: d1,
				metered_usd: '4.6525',
				billed_usd: '4.6525',
				status: 'matched',
			},
		]);
	});

	it('refuses usage of a model without a known price, naming the field, and stores nothing', async () => {
		await expect(
			run({ resource: 'cost', operation: 'store', provider: 'anthropic_usage' }, [
				usage,
				{ ...usage, model: 'claude-imaginary-9' },
			]),
		).rejects.toThrow(
			/"model" must be a Claude model with a known price, got "claude-imaginary-9"/,
		);
		expect(await query(`SELECT count(*)::int AS n FROM llm_costs`)).toEqual([{ n: 0 }]);
	});
});

describe('Reconcile: Anthropic, against what it billed each key (Analytics API)', () => {
	// Claude Admin, Analytics, Get Cost by API key with 1-day buckets: amounts already in USD.
	const billed = (api_key_id: string | null, amount: string) => ({
		starting_at: `${d1}T00:00:00Z`,
		ending_at: `${d2}T00:00:00Z`,
		cost_date: d1,
		api_key_id,
		amount,
		list_amount: amount,
		currency: 'USD',
		requests: 3,
	});

	it("compares metered cost with Anthropic's billed amount per key, and says where the billed figure comes from", async () => {
		await run({ resource: 'cost', operation: 'store', provider: 'anthropic_analytics' }, [
			billed('apikey_01', '4.6525'),
			billed('apikey_02', '1.25'),
			billed(null, '0.5'),
		]);
		// An estimate from our own prices for the same day is set aside: the bill is the truth.
		await run({ resource: 'cost', operation: 'store', provider: 'anthropic_usage' }, [
			{
				bucket_start: `${d1}T00:00:00Z`,
				bucket_end: `${d2}T00:00:00Z`,
				api_key_id: 'apikey_01',
				model: 'claude-sonnet-4-20250514',
				uncached_input_tokens: 100_000,
				output_tokens: 0,
			},
		]);
		await query(
			`INSERT INTO llm_api_keys (provider, key_id) VALUES ('anthropic', 'apikey_01'), ('anthropic', 'apikey_02')`,
		);
		await query(
			`INSERT INTO llm_usage_log (logged_at, provider, key_id, cost_usd) VALUES
			   ($1::date + interval '5 hours', 'anthropic', 'apikey_01', 4.6525),
			   ($1::date + interval '6 hours', 'anthropic', 'apikey_02', 1.0)`,
			[d1],
		);
		const rows = await reconcile(['anthropic']);
		expect(table(rows)).toEqual([
			{ api_key_id: '', day: d1, metered_usd: '0', billed_usd: '0.5', status: 'unattributed' },
			{
				api_key_id: 'apikey_01',
				day: d1,
				metered_usd: '4.6525',
				billed_usd: '4.6525',
				status: 'matched',
			},
			{ api_key_id: 'apikey_02', day: d1, metered_usd: '1', billed_usd: '1.25', status: 'over' },
		]);
		expect(new Set(rows.map((row) => row.billed_source))).toEqual(
			new Set(['anthropic analytics cost by key']),
		);
	});
});

describe('Reconcile: OpenRouter, from the running totals of usage snapshots', () => {
	it('takes a day’s spend from midnight to midnight and leaves a day without the next day open', async () => {
		await query(
			`INSERT INTO llm_api_keys (provider, key_id, key_hash) VALUES ('openrouter', 'or_a', 'hashA'), ('openrouter', 'or_b', NULL)`,
		);
		// Running totals: or_a had spent 4.0 by midnight starting d1 (5.0 with 1.0 of it that day),
		// and 7.0 by midnight starting d2: 3.0 on d1. Two snapshots on d1 agree on midnight.
		await query(
			`INSERT INTO llm_api_key_usage (provider, key_id, snapshot_at, cost_usd, metadata) VALUES
			   ('openrouter', 'or_a', $1::date + interval '8 hours', 4.6, '{"usage_daily": "0.6"}'),
			   ('openrouter', 'or_a', $1::date + interval '10 hours', 5.0, '{"usage_daily": "1.0"}'),
			   ('openrouter', 'or_a', $2::date + interval '9 hours', 7.5, '{"usage_daily": "0.5"}'),
			   ('openrouter', 'or_b', $1::date + interval '10 hours', 1.0, '{"usage_daily": "0"}'),
			   ('openrouter', 'or_b', $2::date + interval '9 hours', 1.2, '{"usage_daily": "0"}'),
			   ('openrouter', 'or_zz', $1::date + interval '10 hours', 0.3, '{"usage_daily": "0.1"}'),
			   ('openrouter', 'or_zz', $2::date + interval '9 hours', 0.45, '{"usage_daily": "0"}')`,
			[d1, d2],
		);
		await query(
			`INSERT INTO llm_usage_log (logged_at, provider, key_hash, cost_usd) VALUES
			   ($1::date + interval '1 hour', 'openrouter', 'hashA', 2.9),
			   ($2::date + interval '1 hour', 'openrouter', 'hashA', 0.4)`,
			[d1, d2],
		);
		expect(table(await reconcile(['openrouter']))).toEqual([
			// or_zz is no key we know: 0.45 - 0.2 = 0.25 unattributed.
			{ api_key_id: '', day: d1, metered_usd: '0', billed_usd: '0.25', status: 'unattributed' },
			{ api_key_id: 'or_a', day: d1, metered_usd: '2.9', billed_usd: '3', status: 'over' },
			{ api_key_id: 'or_b', day: d1, metered_usd: '0', billed_usd: '0.2', status: 'over' },
			// No snapshot on the day after d2 yet: its spend is not known, so the day is open.
			{ api_key_id: 'or_a', day: d2, metered_usd: '0.4', billed_usd: '0', status: 'open' },
		]);
	});
});
