import { LEDGER_SCHEMA_VERSION, MIGRATIONS } from '../../packages/ledger/core/migrations';
import { settleQuota } from '../../packages/ledger/core/quota';
import { readSchemaVersion, setUpDatabase } from '../../packages/ledger/core/schema';
import { TestPostgres } from '../helpers/postgres';

jest.setTimeout(5 * 60 * 1000);

const postgres = new TestPostgres();
/**
 * The schema file users applied by hand before versioned migrations existed: version 1 is that
 * file, statement for statement (it is applied here without the migrations table, as they did).
 */
const SCHEMA_BEFORE_MIGRATIONS = MIGRATIONS[0].sql;

beforeAll(async () => {
	await postgres.start();
});

afterAll(async () => {
	await postgres.stop();
});

async function setUp(database: string) {
	const client = postgres.client(database);
	await client.connect();
	try {
		return await setUpDatabase(client);
	} finally {
		await client.end();
	}
}

const tables = async (database: string) =>
	(
		await postgres.query<{ name: string }>(
			database,
			`SELECT table_name AS name FROM information_schema.tables
			  WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY 1`,
		)
	).map((row) => row.name);

describe('Ledger migrations', () => {
	it('set up a fresh database, and a second run changes nothing', async () => {
		await postgres.createDatabase('fresh');
		const first = await setUp('fresh');
		expect(first).toEqual({
			previous_version: 0,
			version: LEDGER_SCHEMA_VERSION,
			applied: MIGRATIONS.map(({ version, name }) => ({ version, name })),
		});
		expect(await tables('fresh')).toEqual([
			'keypilot_schema_migrations',
			'keypilot_secrets',
			'llm_account_balance',
			'llm_api_key_usage',
			'llm_api_keys',
			'llm_bound_violations',
			'llm_cost_drift',
			'llm_costs',
			'llm_gateway_events',
			'llm_gateway_tokens',
			'llm_key_rotations',
			'llm_limit_mirrors',
			'llm_quota_alerts',
			'llm_quota_aliases',
			'llm_quota_parents',
			'llm_quota_reservations',
			'llm_quotas',
			'llm_upstreams',
			'llm_usage_log',
		]);
		const second = await setUp('fresh');
		expect(second).toEqual({
			previous_version: LEDGER_SCHEMA_VERSION,
			version: LEDGER_SCHEMA_VERSION,
			applied: [],
		});
	});

	it('two Set Up runs at once apply each migration exactly once', async () => {
		await postgres.createDatabase('concurrent');
		const results = await Promise.all([
			setUp('concurrent'),
			setUp('concurrent'),
			setUp('concurrent'),
		]);
		const appliedCounts = results.map((result) => result.applied.length).sort();
		expect(appliedCounts).toEqual([0, 0, MIGRATIONS.length]);
		expect(results.every((result) => result.version === LEDGER_SCHEMA_VERSION)).toBe(true);
		const rows = await postgres.query(
			'concurrent',
			'SELECT version, name FROM keypilot_schema_migrations ORDER BY version',
		);
		expect(rows).toEqual(MIGRATIONS.map(({ version, name }) => ({ version, name })));
	});

	it('a failing migration leaves the database as it was', async () => {
		await postgres.createDatabase('failing');
		const broken = [
			...MIGRATIONS.slice(0, 1),
			{ version: 2, name: 'broken', sql: 'CREATE TABLE half_done (id int); SELECT 1/0;' },
		];
		const client = postgres.client('failing');
		await client.connect();
		try {
			await expect(setUpDatabase(client, broken)).rejects.toThrow('division by zero');
			expect(await readSchemaVersion(client)).toBe(0);
		} finally {
			await client.end();
		}
		expect(await tables('failing')).not.toContain('half_done');
	});

	it('upgrades a version 12 ledger to quota layers: every quota a one-layer subject, reservations in flight settle after', async () => {
		await postgres.createDatabase('v12');
		const client = postgres.client('v12');
		await client.connect();
		try {
			await setUpDatabase(client, MIGRATIONS.slice(0, 12));
			await client.query(
				`INSERT INTO llm_quotas (subject_type, subject_id, quota_type, limit_amount, period, used, reserved)
				 VALUES ('token_hash', 'tok', 'tokens', 1000, 'monthly', 100, 300),
				        ('key_id', 'key_1', 'usd', 5, 'none', 1.25, 0);
				 INSERT INTO llm_quota_reservations (reservation_id, subject_type, subject_id, amount, expires_at)
				 VALUES ('00000000-0000-4000-8000-000000000001', 'token_hash', 'tok', 300, now() + interval '5 minutes');
				 INSERT INTO llm_quota_alerts (subject_type, subject_id, kind, period_start, quota_used, quota_limit, quota_type)
				 VALUES ('key_id', 'key_1', 'warning', '2026-11-01', 4.5, 5, 'usd');
				 INSERT INTO llm_limit_mirrors (target, target_id, subject_type, subject_id)
				 VALUES ('openrouter_key', 'hash_1', 'key_id', 'key_1');`,
			);
			expect(await setUpDatabase(client)).toMatchObject({
				previous_version: 12,
				applied: [{ version: 13, name: 'quota layers' }],
			});
			const { rows } = await client.query(
				`SELECT subject_type, subject_id, models, used::text, reserved::text FROM llm_quotas ORDER BY quota_id`,
			);
			expect(rows).toEqual([
				{ subject_type: 'token_hash', subject_id: 'tok', models: '', used: '100', reserved: '300' },
				{ subject_type: 'key_id', subject_id: 'key_1', models: '', used: '1.25', reserved: '0' },
			]);
			expect(await rowCounts('v12', ['llm_quota_alerts', 'llm_limit_mirrors'])).toEqual({
				llm_quota_alerts: 1,
				llm_limit_mirrors: 1,
			});
			// The reservation held before the upgrade settles after it, on the row it held.
			const settled = await settleQuota(
				client,
				{ type: 'token_hash', id: 'tok' },
				'00000000-0000-4000-8000-000000000001',
				{ tokens: '250', usd: null },
			);
			expect(settled).toMatchObject({ found: true, used: '350', reserved: '0' });
		} finally {
			await client.end();
		}
	});

	it('upgrades a database made by the schema file before migrations, keeping every row', async () => {
		await postgres.createDatabase('legacy');
		await postgres.query('legacy', SCHEMA_BEFORE_MIGRATIONS);
		await postgres.query(
			'legacy',
			`INSERT INTO llm_cost_daily (provider, project_id, line_item, api_key_id, cost_date, amount, currency)
			 VALUES ('openai', 'proj_1', 'gpt-4o, input', 'key_1', '2026-11-01', 0.123456789012345678, 'usd'),
			        ('anthropic', 'wrkspc_1', 'Claude Sonnet 4 Usage - Input Tokens', '', '2026-11-01', 1.5, 'usd'),
			        ('openai', '', 'gpt-4o, output', '', '2026-11-02', 2, 'usd');
			 INSERT INTO llm_cost_monthly (provider, account_id, bill_period, product, product_name, billing_mode, amount, original_amount, currency)
			 VALUES ('volcengine', '2100001', '2026-10', 'ark', '方舟', 'PostPayment', 12.34, 15, 'CNY');
			 INSERT INTO llm_api_key_usage (provider, key_id, snapshot_at, period_start, period_end, input_tokens, output_tokens, cached_tokens, metadata)
			 VALUES ('anthropic', 'apikey_1', '2026-11-01T00:00Z', '2026-11-01T00:00Z', '2026-11-02T00:00Z', 1700, 50, 300,
			         '{"uncached_input_tokens": 1000, "cache_creation_5m_input_tokens": 600, "cache_creation_1h_input_tokens": 100, "cache_read_input_tokens": 300}');
			 INSERT INTO llm_api_key_usage (provider, key_id, snapshot_at, cost_usd, limit_usd, limit_remaining)
			 VALUES ('openrouter', 'hash_1', '2026-11-01T10:00Z', 1.25, 10, 8.75);
			 INSERT INTO llm_api_keys (provider, key_id, name, key_hash) VALUES ('openrouter', 'hash_1', 'customer', 'abc');
			 INSERT INTO llm_account_balance (provider, balance_date, available_balance, currency) VALUES ('openrouter', '2026-11-01', 5, 'USD');
			 INSERT INTO llm_quotas (subject_type, subject_id, quota_type, limit_amount, used) VALUES ('key_hash', 'abc', 'usd', 5, 1.25);
			 INSERT INTO llm_usage_log (provider, model, input_tokens, total_tokens, cost_usd) VALUES ('openai', 'gpt-4o', 10, 12, 0.0001);
			 INSERT INTO llm_quota_alerts (subject_type, subject_id, kind, period_start, quota_used, quota_limit, quota_type)
			 VALUES ('key_hash', 'abc', 'warning', '2026-11-01', 4.5, 5, 'usd');
			 SELECT * FROM keypilot_mint_token('legacy token');`,
		);
		const countsBefore = await rowCounts('legacy', [
			'llm_api_key_usage',
			'llm_api_keys',
			'llm_account_balance',
			'llm_quotas',
			'llm_usage_log',
			'llm_quota_alerts',
			'llm_gateway_tokens',
			'llm_upstreams',
		]);
		expect(await versionOf('legacy')).toBe(0);

		const result = await setUp('legacy');
		expect(result.previous_version).toBe(0);
		expect(result.version).toBe(LEDGER_SCHEMA_VERSION);
		// Every row kept; version 7 adds the one upstream that speaks Anthropic's API.
		expect(await rowCounts('legacy', Object.keys(countsBefore))).toEqual({
			...countsBefore,
			llm_upstreams: countsBefore.llm_upstreams + 1,
		});
		expect(
			await postgres.query('legacy', `SELECT name, api FROM llm_upstreams ORDER BY name`),
		).toEqual([
			{ name: 'anthropic', api: 'anthropic' },
			{ name: 'openai', api: 'openai' },
		]);

		expect(
			await postgres.query(
				'legacy',
				`SELECT provider, scope_type, scope_id, period, to_char(period_start, 'YYYY-MM-DD') AS day, line_item,
				        line_item_name, api_key_id, billing_mode, amount::text, original_amount::text, currency
				   FROM llm_costs ORDER BY provider, day, line_item`,
			),
		).toEqual([
			{
				provider: 'anthropic',
				scope_type: 'workspace',
				scope_id: 'wrkspc_1',
				period: 'day',
				day: '2026-11-01',
				line_item: 'Claude Sonnet 4 Usage - Input Tokens',
				line_item_name: null,
				api_key_id: '',
				billing_mode: '',
				amount: '1.5',
				original_amount: null,
				currency: 'USD',
			},
			{
				provider: 'openai',
				scope_type: 'project',
				scope_id: 'proj_1',
				period: 'day',
				day: '2026-11-01',
				line_item: 'gpt-4o, input',
				line_item_name: null,
				api_key_id: 'key_1',
				billing_mode: '',
				amount: '0.123456789012345678',
				original_amount: null,
				currency: 'USD',
			},
			{
				provider: 'openai',
				scope_type: '',
				scope_id: '',
				period: 'day',
				day: '2026-11-02',
				line_item: 'gpt-4o, output',
				line_item_name: null,
				api_key_id: '',
				billing_mode: '',
				amount: '2',
				original_amount: null,
				currency: 'USD',
			},
			{
				provider: 'volcengine',
				scope_type: '',
				scope_id: '',
				period: 'month',
				day: '2026-10-01',
				line_item: 'ark',
				line_item_name: '方舟',
				api_key_id: '',
				billing_mode: 'PostPayment',
				amount: '12.34',
				original_amount: '15',
				currency: 'CNY',
			},
		]);
		// The former tables remain readable as views.
		expect(
			await postgres.query(
				'legacy',
				`SELECT bill_period, product, amount::text FROM llm_cost_monthly`,
			),
		).toEqual([{ bill_period: '2026-10', product: 'ark', amount: '12.34' }]);
		expect(await postgres.query('legacy', 'SELECT count(*)::int AS n FROM llm_cost_daily')).toEqual(
			[{ n: 3 }],
		);
		// One meaning for input_tokens: the Anthropic snapshot no longer counts cache writes in it.
		expect(
			await postgres.query(
				'legacy',
				`SELECT provider, input_tokens::int, cache_read_tokens::int, cache_write_5m_tokens::int, cache_write_1h_tokens::int, cost_usd::text
				   FROM llm_api_key_latest_usage ORDER BY provider`,
			),
		).toEqual([
			{
				provider: 'anthropic',
				input_tokens: 1000,
				cache_read_tokens: 300,
				cache_write_5m_tokens: 600,
				cache_write_1h_tokens: 100,
				cost_usd: null,
			},
			{
				provider: 'openrouter',
				input_tokens: null,
				cache_read_tokens: null,
				cache_write_5m_tokens: null,
				cache_write_1h_tokens: null,
				cost_usd: '1.25',
			},
		]);
		expect((await setUp('legacy')).applied).toEqual([]);
	});
});

async function versionOf(database: string) {
	const client = postgres.client(database);
	await client.connect();
	try {
		return await readSchemaVersion(client);
	} finally {
		await client.end();
	}
}

async function rowCounts(database: string, names: string[]) {
	const counts: Record<string, number> = {};
	for (const name of names) {
		const [row] = await postgres.query<{ n: number }>(
			database,
			`SELECT count(*)::int AS n FROM ${name}`,
		);
		counts[name] = row.n;
	}
	return counts;
}
