import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { LEDGER_SCHEMA_VERSION } from '../../packages/ledger/core/migrations';
import { KeypilotLedger } from '../../packages/ledger/nodes/KeypilotLedger/KeypilotLedger.node';
import { QuotaCheck } from '../../packages/ledger/nodes/QuotaCheck/QuotaCheck.node';
import { keyHash } from '../../packages/ledger/core/keyHash';
import { TestPostgres } from '../helpers/postgres';
import { Pool } from 'pg';

import { readLink, signLink } from '../../packages/ledger/core/links';
import { resultOf } from '../helpers/executeContext';
import { runWithPostgres } from '../helpers/postgresNode';

jest.setTimeout(5 * 60 * 1000);

const postgres = new TestPostgres();
const node = new KeypilotLedger();

beforeAll(async () => {
	await postgres.start();
	await postgres.createDatabase('keypilot');
	await postgres.createDatabase('outdated');
	await postgres.setUpLedger('keypilot');
});

afterAll(async () => {
	await postgres.stop();
});

/** The ledger's results: each output item's value under its resource's name. */
const results = (items: INodeExecutionData[], parameters: IDataObject | IDataObject[]) =>
	items.map((item) => ({
		...item,
		json: resultOf(
			item.json,
			String((Array.isArray(parameters) ? parameters[0] : parameters).resource),
		),
	}));
const run = async (parameters: IDataObject, items: IDataObject[] = [{}], database = 'keypilot') =>
	results((await runWithPostgres(node, postgres, parameters, items, { database }))[0], parameters);

const runError = async (parameters: IDataObject, items: IDataObject[], database = 'keypilot') => {
	try {
		await run(parameters, items, database);
	} catch (error) {
		return error as Error & { description?: string };
	}
	throw new Error('expected the node to fail');
};

const json = (items: INodeExecutionData[]) => items.map((item) => item.json);
const query = (sql: string, params: unknown[] = []) => postgres.query('keypilot', sql, params);

describe('KeyPilot Ledger: Database', () => {
	it('sets up a database and refuses to work on one at an older version', async () => {
		const refused = await runError(
			{ resource: 'cost', operation: 'store', provider: 'openai' },
			[{ cost_date: '2026-11-01', amount: '1' }],
			'outdated',
		);
		expect(refused.message).toBe(
			`The ledger database is at schema version 0; these nodes need version ${LEDGER_SCHEMA_VERSION}`,
		);
		expect(refused.description).toContain('Database → Set Up');
		expect(
			json(await run({ resource: 'database', operation: 'getStatus' }, [{}], 'outdated')),
		).toEqual([{ version: 0, required_version: LEDGER_SCHEMA_VERSION, up_to_date: false }]);
		const [setUp] = json(
			await run({ resource: 'database', operation: 'setUp' }, [{}, {}], 'outdated'),
		);
		expect(setUp).toMatchObject({ previous_version: 0, version: LEDGER_SCHEMA_VERSION });
		expect(json(await run({ resource: 'database', operation: 'setUp' }, [{}], 'outdated'))).toEqual(
			[{ previous_version: LEDGER_SCHEMA_VERSION, version: LEDGER_SCHEMA_VERSION, applied: [] }],
		);
	});
});

describe('KeyPilot Ledger: Store', () => {
	beforeEach(async () => {
		await query('TRUNCATE llm_costs, llm_api_keys, llm_api_key_usage, llm_account_balance');
	});

	const openAiCosts = [
		{
			cost_date: '2026-11-01',
			amount: '0.000123456789012345',
			currency: 'usd',
			project_id: 'proj_1',
			line_item: 'gpt-4o, input',
			api_key_id: 'key_1',
		},
		{
			cost_date: '2026-11-01',
			amount: 2,
			currency: 'usd',
			project_id: null,
			line_item: null,
			api_key_id: null,
		},
	];

	it('stores OpenAI costs exactly, once: a re-run changes nothing, a changed amount updates', async () => {
		const first = json(
			await run({ resource: 'cost', operation: 'store', provider: 'openai' }, openAiCosts),
		);
		expect(first.map((row) => row.stored)).toEqual(['inserted', 'inserted']);
		const synced = await query(`SELECT synced_at FROM llm_costs ORDER BY scope_id`);
		const again = json(
			await run({ resource: 'cost', operation: 'store', provider: 'openai' }, openAiCosts),
		);
		expect(again.map((row) => row.stored)).toEqual(['unchanged', 'unchanged']);
		expect(await query(`SELECT synced_at FROM llm_costs ORDER BY scope_id`)).toEqual(synced);
		const changed = json(
			await run({ resource: 'cost', operation: 'store', provider: 'openai' }, [
				{ ...openAiCosts[0], amount: '0.000123456789012346' },
			]),
		);
		expect(changed.map((row) => row.stored)).toEqual(['updated']);
		expect(
			await query(
				`SELECT provider, scope_type, scope_id, period, to_char(period_start, 'YYYY-MM-DD') AS day, line_item, api_key_id, amount::text, currency
				   FROM llm_costs ORDER BY scope_id`,
			),
		).toEqual([
			{
				provider: 'openai',
				scope_type: '',
				scope_id: '',
				period: 'day',
				day: '2026-11-01',
				line_item: '',
				api_key_id: '',
				amount: '2',
				currency: 'USD',
			},
			{
				provider: 'openai',
				scope_type: 'project',
				scope_id: 'proj_1',
				period: 'day',
				day: '2026-11-01',
				line_item: 'gpt-4o, input',
				api_key_id: 'key_1',
				amount: '0.000123456789012346',
				currency: 'USD',
			},
		]);
	});

	it('sums Volcengine bill details of one product and day, and keeps monthly overviews apart', async () => {
		const details = [
			{
				ExpenseDate: '2026-11-02',
				BillPeriod: '2026-11',
				Product: 'ark',
				BillingMode: 'PostPayment',
				PayableAmount: '0.10',
				Currency: 'CNY',
				InstanceNo: 'ep-1',
			},
			{
				ExpenseDate: '2026-11-02',
				BillPeriod: '2026-11',
				Product: 'ark',
				BillingMode: 'PostPayment',
				PayableAmount: '0.20',
				Currency: 'CNY',
				InstanceNo: 'ep-2',
			},
		];
		const stored = await run(
			{ resource: 'cost', operation: 'store', provider: 'volcengine' },
			details,
		);
		expect(stored).toHaveLength(1);
		expect(stored[0].json).toMatchObject({
			period: 'day',
			period_start: '2026-11-02',
			amount: '0.3',
		});
		expect(stored[0].pairedItem).toEqual([{ item: 0 }, { item: 1 }]);
		await run({ resource: 'cost', operation: 'store', provider: 'volcengine' }, [
			{
				BillPeriod: '2026-10',
				Product: 'ark',
				ProductZh: '方舟',
				BillingMode: 'PostPayment',
				PayableAmount: '12.34',
				OriginalBillAmount: '15',
				Currency: 'CNY',
				OwnerID: 2100001,
			},
		]);
		expect(
			await query(
				`SELECT bill_period, product, product_name, account_id, amount::text FROM llm_cost_monthly`,
			),
		).toEqual([
			{
				bill_period: '2026-10',
				product: 'ark',
				product_name: '方舟',
				account_id: '2100001',
				amount: '12.34',
			},
		]);
	});

	it('checks every item before writing: a bad item names its field, and nothing is written', async () => {
		const error = await runError({ resource: 'cost', operation: 'store', provider: 'anthropic' }, [
			{ cost_date: '2026-11-01', amount: '1', workspace_id: 'w', description: 'a' },
			{ cost_date: '2026-11-01', amount: 'twelve', workspace_id: 'w', description: 'b' },
		]);
		expect(error.message).toBe(
			'"amount" must be a decimal amount such as "12.34", got "twelve" (item 1)',
		);
		expect(await query('SELECT count(*)::int AS n FROM llm_costs')).toEqual([{ n: 0 }]);

		const continued = await runWithPostgres(
			node,
			postgres,
			{ resource: 'cost', operation: 'store', provider: 'anthropic' },
			[
				{ cost_date: '2026-11-01', amount: '1', workspace_id: 'w', description: 'a' },
				{ cost_date: 'yesterday', amount: '1', workspace_id: 'w', description: 'b' },
			],
			{ continueOnFail: true, onError: 'continueErrorOutput' },
		);
		expect(json(results(continued[0], { resource: 'cost' }))).toEqual([
			expect.objectContaining({ stored: 'inserted', line_item: 'a' }),
			{
				error: '"cost_date" must be a date such as "2026-11-01", got "yesterday" (item 1)',
				details: 'Check "cost_date"',
			},
		]);
	});

	it('stores key lists without touching the hash a created key was recorded with', async () => {
		const secret = 'sk-or-v1-0123456789abcdef0123456789abcdef';
		const [recorded] = json(
			await run(
				{ resource: 'apiKey', operation: 'recordCreated', provider: 'openrouter', name: '' },
				[{ hash: 'or_hash_1', name: 'customer', key: secret, limit: 5, limit_reset: 'monthly' }],
			),
		);
		expect(recorded).toEqual({
			provider: 'openrouter',
			key_id: 'or_hash_1',
			name: 'customer',
			redacted_value: 'sk-or-v1…cdef',
			key_hash: keyHash(secret),
			project_id: '',
			owner_type: 'management_key',
			owner_id: null,
			secret,
		});
		const listed = json(
			await run({ resource: 'apiKey', operation: 'store', provider: 'openrouter' }, [
				{
					hash: 'or_hash_1',
					name: 'customer',
					label: 'sk-or-v1-012...def',
					disabled: true,
					created_at: '2026-11-01T10:00:00Z',
					limit: 5,
					limit_reset: 'monthly',
				},
			]),
		);
		expect(listed[0]).toMatchObject({ stored: 'updated', status: 'disabled' });
		const [row] = await query(
			`SELECT key_hash, status, redacted_value, metadata FROM llm_api_keys`,
		);
		expect(row).toEqual({
			key_hash: keyHash(secret),
			status: 'disabled',
			redacted_value: 'sk-or-v1-012...def',
			metadata: { limit: 5, limit_reset: 'monthly', include_byok_in_limit: false },
		});
		// The secret is nowhere in the database.
		const everything = JSON.stringify(await query('SELECT * FROM llm_api_keys'));
		expect(everything).not.toContain(secret);
	});

	it('keeps the request a created key came with and the secret once, under apiKey only', async () => {
		const secret = 'sk-or-v1-fedcba9876543210fedcba9876543210';
		const created = { hash: 'or_hash_2', name: 'team-b', key: secret, limit: null };
		const [item] = await runWithPostgres(
			node,
			postgres,
			{ resource: 'apiKey', operation: 'recordCreated', provider: 'openrouter', name: '' },
			[{ body: { name: 'team-b', provider: 'openrouter' }, key: created }],
		).then((outputs) => outputs[0]);
		expect(Object.keys(item.json)).toEqual(['body', 'apiKey']);
		expect(item.json.body).toEqual({ name: 'team-b', provider: 'openrouter' });
		expect(item.json.apiKey).toMatchObject({ key_id: 'or_hash_2', secret });
		expect(JSON.stringify(item.json).split(secret)).toHaveLength(2);

		// The provider's own answer, taken whole, is consumed whole.
		const [whole] = await runWithPostgres(
			node,
			postgres,
			{ resource: 'apiKey', operation: 'recordCreated', provider: 'openrouter', name: '' },
			[{ ...created, hash: 'or_hash_3' }],
		).then((outputs) => outputs[0]);
		expect(Object.keys(whole.json)).toEqual(['apiKey']);
	});

	it('never repeats a secret in an error', async () => {
		const error = await runError(
			{ resource: 'apiKey', operation: 'recordCreated', provider: 'volcengine', name: '' },
			[{ AccessKeyId: 'AKLT1', SecretAccessKey: 'short' }],
		);
		expect(error.message).toBe(
			'"SecretAccessKey" must be the new key\'s secret as the create operation returned it, got "(a value that is not a key)" (item 0)',
		);
	});

	it('stores Anthropic usage by key with the token columns of llm_usage_log, models summed', async () => {
		const bucket = {
			api_key_id: 'apikey_1',
			bucket_start: '2026-11-01T00:00:00Z',
			bucket_end: '2026-11-02T00:00:00Z',
			workspace_id: 'w',
		};
		await run({ resource: 'usageSnapshot', operation: 'store', provider: 'anthropic' }, [
			{
				...bucket,
				model: 'a',
				uncached_input_tokens: 1000,
				cache_creation_5m_input_tokens: 600,
				cache_creation_1h_input_tokens: 100,
				cache_read_input_tokens: 300,
				output_tokens: 50,
			},
			{
				...bucket,
				model: 'b',
				uncached_input_tokens: 1,
				cache_creation_5m_input_tokens: 2,
				cache_creation_1h_input_tokens: 3,
				cache_read_input_tokens: 4,
				output_tokens: 5,
			},
		]);
		expect(
			await query(
				`SELECT key_id, input_tokens::int, output_tokens::int, cache_read_tokens::int, cache_write_5m_tokens::int, cache_write_1h_tokens::int FROM llm_api_key_usage`,
			),
		).toEqual([
			{
				key_id: 'apikey_1',
				input_tokens: 1001,
				output_tokens: 55,
				cache_read_tokens: 304,
				cache_write_5m_tokens: 602,
				cache_write_1h_tokens: 103,
			},
		]);
	});

	it('stores balances: one row per account and day, the latest reading', async () => {
		await run({ resource: 'balance', operation: 'store', provider: 'openrouter' }, [
			{ total_credits_usd: '10', remaining_usd: '7.5' },
		]);
		await run({ resource: 'balance', operation: 'store', provider: 'openrouter' }, [
			{ total_credits_usd: '10', remaining_usd: '7.25' },
		]);
		expect(
			await query(
				'SELECT available_balance::text, cash_balance::text, currency FROM llm_account_balance',
			),
		).toEqual([{ available_balance: '7.25', cash_balance: '10', currency: 'USD' }]);
	});
});

describe('KeyPilot Ledger: Gateway Token', () => {
	it('mints a token stored only by hash, and authenticates it by scope, route and model', async () => {
		const [minted] = json(
			await run({
				resource: 'gatewayToken',
				operation: 'mint',
				name: 'ci bot',
				scopes: 'gateway',
				routes: '',
				models: 'gpt-4o-mini',
				upstream: 'openai',
			}),
		);
		expect(minted.token).toMatch(/^kp_[0-9a-f]{64}$/);
		expect(minted.token_hash).toBe(keyHash(minted.token as string));
		expect(JSON.stringify(await query('SELECT * FROM llm_gateway_tokens'))).not.toContain(
			minted.token,
		);

		const check = async (
			authorization: string,
			scope: string,
			model: string,
			route = '/v1/chat/completions',
		) =>
			json(
				await run({
					resource: 'gatewayToken',
					operation: 'authenticate',
					authorization,
					scope,
					route,
					model,
				}),
			)[0];
		expect(await check(`Bearer ${minted.token as string}`, 'gateway', 'gpt-4o-mini')).toEqual({
			authenticated: true,
			authorized: true,
			permitted: true,
			token_hash: minted.token_hash,
			token_name: 'ci bot',
			upstream_url: 'https://api.openai.com/v1',
			upstream: 'openai',
			upstream_api: 'openai',
			part_token_ceilings: {},
			suspended: null,
			allowed_models: ['gpt-4o-mini'],
		});
		expect(await check(minted.token as string, 'gateway', 'gpt-4o')).toMatchObject({
			authenticated: true,
			permitted: false,
		});
		// A token limited to some routes passes only a check that names one of them.
		const [routed] = json(
			await run({
				resource: 'gatewayToken',
				operation: 'mint',
				name: 'one route',
				scopes: 'gateway',
				routes: '/v1/embeddings',
				upstream: 'openai',
			}),
		);
		const routeCheck = (route: string) =>
			check(`Bearer ${routed.token as string}`, 'gateway', '', route);
		expect(await routeCheck('/v1/embeddings')).toMatchObject({ permitted: true });
		expect(await routeCheck('/v1/chat/completions')).toMatchObject({ permitted: false });
		expect(await routeCheck('')).toMatchObject({ authenticated: true, permitted: false });
		expect(await check(minted.token as string, 'keys:create', '')).toMatchObject({
			authorized: false,
			permitted: false,
		});
		expect(await check('Bearer kp_unknown', 'gateway', 'gpt-4o-mini')).toMatchObject({
			authenticated: false,
			token_hash: '',
		});
		expect(await check('', 'gateway', 'gpt-4o-mini')).toMatchObject({ authenticated: false });
	});

	it('reads a token only from Bearer or x-api-key headers, or a signed link for one scope that expires', async () => {
		const [reader] = json(
			await run({
				resource: 'gatewayToken',
				operation: 'mint',
				name: 'finance',
				scopes: 'reports:read',
			}),
		);
		const token = reader.token as string;
		const check = async (fields: IDataObject, scope = 'reports:read') =>
			json(
				await run({ resource: 'gatewayToken', operation: 'authenticate', scope, ...fields }, [
					{ headers: fields.headers ?? {}, query: fields.query ?? {} },
				]),
			)[0];
		const fromHeaders = (headers: IDataObject) => check({ tokenFrom: 'headers', headers });
		expect(await fromHeaders({ authorization: `Bearer ${token}` })).toMatchObject({
			authorized: true,
		});
		expect(await fromHeaders({ 'x-api-key': token })).toMatchObject({ authorized: true });
		for (const headers of [{ authorization: token }, { authorization: `Token ${token}` }, {}])
			expect(await fromHeaders(headers)).toMatchObject({ authenticated: false });

		const [signed] = json(
			await run({
				resource: 'gatewayToken',
				operation: 'signLink',
				tokenHash: reader.token_hash,
				minutes: 15,
			}),
		);
		expect(signed.link).toMatch(/^kpl_[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
		expect(String(signed.link)).not.toContain(token);
		const byLink = (link: string, scope = 'reports:read') =>
			check({ tokenFrom: 'headersOrLink', headers: {}, link }, scope);
		expect(await byLink(signed.link as string)).toMatchObject({
			authenticated: true,
			authorized: true,
			token_hash: reader.token_hash,
		});
		// Signed for reports:read only; tampered; expired; its token revoked.
		expect(await byLink(signed.link as string, 'keys:create')).toMatchObject({
			authenticated: false,
		});
		const [payload, signature] = String(signed.link).split('.');
		expect(await byLink(`${payload}.${signature.slice(0, -2)}AA`)).toMatchObject({
			authenticated: false,
		});
		const pool = new Pool(postgres.connection('keypilot'));
		try {
			const old = await signLink(pool, {
				tokenHash: reader.token_hash as string,
				scope: 'reports:read',
				seconds: 60,
				now: new Date(Date.now() - 120_000),
			});
			expect(await byLink(old.link)).toMatchObject({ authenticated: false });
			expect(await readLink(pool, old.link)).toEqual({ problem: 'the link has expired' });
		} finally {
			await pool.end();
		}
		await query(`UPDATE llm_gateway_tokens SET status = 'revoked' WHERE token_hash = $1`, [
			reader.token_hash,
		]);
		expect(await byLink(signed.link as string)).toMatchObject({ authenticated: false });
	});

	it('lifts a suspension: the token is admitted again and its violations are marked lifted', async () => {
		const [minted] = json(
			await run({
				resource: 'gatewayToken',
				operation: 'mint',
				name: 'suspended',
				scopes: 'gateway',
			}),
		);
		const hash = minted.token_hash as string;
		await query(
			`INSERT INTO llm_bound_violations (key_hash, key_name, route, bound_tokens, reported_tokens)
			 VALUES ($1, 'suspended', '/v1/messages', 300, 50300)`,
			[hash],
		);
		await query(
			`UPDATE llm_gateway_tokens SET suspended_at = now(), suspended_reason = 'over-reported' WHERE token_hash = $1`,
			[hash],
		);
		const authenticate = async () =>
			json(
				await run({
					resource: 'gatewayToken',
					operation: 'authenticate',
					authorization: minted.token,
					scope: 'gateway',
					route: '',
					model: '',
				}),
			)[0];
		expect(await authenticate()).toMatchObject({ permitted: false, suspended: 'over-reported' });
		const [lifted] = json(
			await run({ resource: 'gatewayToken', operation: 'liftSuspension', hash }),
		);
		expect(lifted).toMatchObject({
			token_hash: hash,
			name: 'suspended',
			suspended_reason: 'over-reported',
			violations: 1,
		});
		expect(await authenticate()).toMatchObject({ permitted: true, suspended: null });
		expect(
			await query(
				'SELECT lifted_at IS NOT NULL AS lifted FROM llm_bound_violations WHERE key_hash = $1',
				[hash],
			),
		).toEqual([{ lifted: true }]);
		expect(
			(await runError({ resource: 'gatewayToken', operation: 'liftSuspension', hash }, [{}]))
				.message,
		).toBe(`No suspended token has the hash ${hash}`);
		expect(
			(
				await runError({ resource: 'gatewayToken', operation: 'liftSuspension', hash: 'kp_abc' }, [
					{},
				])
			).message,
		).toBe('"Token Hash" must be 64 hexadecimal characters, got "kp_abc" (item 0)');
	});

	it('refuses a bad name or an unknown upstream, minting nothing', async () => {
		const before = await query('SELECT count(*)::int AS n FROM llm_gateway_tokens');
		expect(
			(
				await runError(
					{ resource: 'gatewayToken', operation: 'mint', name: 'bad\u0007name', scopes: 'gateway' },
					[{}],
				)
			).message,
		).toBe(
			'"Name" must be 1 to 100 characters without control characters, got "bad\\u0007name" (item 0)',
		);
		expect(
			(
				await runError(
					{
						resource: 'gatewayToken',
						operation: 'mint',
						name: 'x',
						scopes: 'gateway',
						upstream: 'elsewhere',
					},
					[{}],
				)
			).message,
		).toBe('The upstream "elsewhere" is not configured: add it to llm_upstreams first');
		expect(await query('SELECT count(*)::int AS n FROM llm_gateway_tokens')).toEqual(before);
	});

	it('fails every item of an unknown operation', async () => {
		const error = await runError({ resource: 'cost', operation: 'delete' }, [{}]);
		expect(error.message).toBe('The operation "delete" is not known for "cost"');
	});
});

describe('Quota Check: Get Alerts', () => {
	it('tells each crossing once per period, counting what expired reservations still hold as Check does', async () => {
		await query(`TRUNCATE llm_quotas, llm_quota_alerts CASCADE`);
		await query(
			`INSERT INTO llm_quotas (subject_type, subject_id, quota_type, limit_amount, warning_percent, used, reserved) VALUES
			   ('key_id', 'warn', 'usd', 10, 80, 8.5, 0),
			   ('key_id', 'full', 'tokens', 100, NULL, 60, 40),
			   ('key_id', 'lapsed', 'tokens', 100, 90, 10, 95),
			   ('key_id', 'fine', 'usd', 10, 80, 1, 0),
			   ('key_id', 'unlimited', 'usd', 0, 80, 99, 0)`,
		);
		// 'lapsed' holds 95 in a reservation that expired last period: no longer held, not charged now.
		await query(
			`INSERT INTO llm_quota_reservations (reservation_id, quota_id, subject_type, subject_id, origin_type, origin_id, amount, created_at, expires_at)
			 SELECT gen_random_uuid(), quota_id, 'key_id', 'lapsed', 'key_id', 'lapsed', 95, now() - interval '400 days', now() - interval '399 days'
			   FROM llm_quotas WHERE subject_id = 'lapsed'`,
		);
		const alerts = async () =>
			json(
				(
					await runWithPostgres(new QuotaCheck(), postgres, { operation: 'getAlerts' }, [{}, {}])
				)[0].map((item) => ({ ...item, json: resultOf(item.json, 'quota') })),
			);
		const first = await alerts();
		expect(
			first.map(({ subject_id, kind, quota_used, quota_limit }) => ({
				subject_id,
				kind,
				quota_used,
				quota_limit,
			})),
		).toEqual([
			{ subject_id: 'full', kind: 'exhausted', quota_used: '100', quota_limit: '100' },
			{ subject_id: 'warn', kind: 'warning', quota_used: '8.5', quota_limit: '10' },
		]);
		expect(await alerts()).toEqual([]);
	});
});

describe('KeyPilot Ledger: Reconciliation', () => {
	const dayAgo = (days: number) =>
		new Date(Date.now() - days * 86_400_000).toISOString().slice(0, 10);
	const [d1, d2, today] = [dayAgo(3), dayAgo(2), dayAgo(0)];

	it('writes metered against billed per key and day, exactly, and tells each drift once', async () => {
		await query('TRUNCATE llm_costs, llm_api_keys, llm_usage_log, llm_cost_drift');
		await query(
			`INSERT INTO llm_api_keys (provider, key_id, key_hash) VALUES ('openai', 'key_A', 'hashA'), ('openai', 'key_B', NULL)`,
		);
		// Metered: key_A by its hash (as the gateway logs it), key_B by its ID.
		await query(
			`INSERT INTO llm_usage_log (logged_at, provider, key_hash, key_id, cost_usd) VALUES
			   ($1::date + interval '1 hour', 'openai', 'hashA', NULL, 1.00),
			   ($1::date + interval '2 hours', 'openai', 'hashA', NULL, 0.50),
			   ($1::date + interval '3 hours', 'openai', NULL, 'key_B', 2.000000000000000001),
			   ($2::date + interval '1 hour', 'openai', 'hashA', NULL, 0.10),
			   ($1::date + interval '4 hours', 'openai', 'hashA', NULL, NULL)`,
			[d1, d2],
		);
		// Billed, as OpenAI's costs grouped by api_key_id are stored (line item empty).
		await query(
			`INSERT INTO llm_costs (provider, period, period_start, api_key_id, line_item, amount, currency) VALUES
			   ('openai', 'day', $1, 'key_A', '', 1.52, 'USD'),
			   ('openai', 'day', $1, 'key_B', '', 2.5, 'USD'),
			   ('openai', 'day', $1, 'key_Z', '', 0.3, 'USD'),
			   ('openai', 'day', $1, '', '', 0.2, 'USD'),
			   ('openai', 'day', $1, '', 'gpt-4o, input', 9, 'USD'),
			   ('openai', 'day', $2, 'key_A', '', 0.05, 'USD'),
			   ('openai', 'day', $3, 'key_A', '', 0.07, 'USD')`,
			[d1, d2, today],
		);
		const parameters = {
			resource: 'reconciliation',
			operation: 'reconcile',
			firstDay: d1,
			lastDay: today,
			tolerance: 2,
			providers: ['openai'],
		};
		const all = json(await run({ ...parameters, output: 'all' }));
		const shape = (rows: IDataObject[]) =>
			rows.map(
				({
					api_key_id,
					day,
					metered_usd,
					billed_usd,
					difference_usd,
					difference_percent,
					status,
				}) => ({
					api_key_id,
					day,
					metered_usd,
					billed_usd,
					difference_usd,
					difference_percent,
					status,
				}),
			);
		expect(shape(all)).toEqual([
			{
				api_key_id: '',
				day: d1,
				metered_usd: '0',
				billed_usd: '0.5',
				difference_usd: '0.5',
				difference_percent: '100',
				status: 'unattributed',
			},
			{
				api_key_id: 'key_A',
				day: d1,
				metered_usd: '1.5',
				billed_usd: '1.52',
				difference_usd: '0.02',
				difference_percent: '1.3158',
				status: 'matched',
			},
			{
				api_key_id: 'key_B',
				day: d1,
				metered_usd: '2.000000000000000001',
				billed_usd: '2.5',
				difference_usd: '0.499999999999999999',
				difference_percent: '20',
				status: 'over',
			},
			{
				api_key_id: 'key_A',
				day: d2,
				metered_usd: '0.1',
				billed_usd: '0.05',
				difference_usd: '-0.05',
				difference_percent: '-100',
				status: 'under',
			},
			{
				api_key_id: 'key_A',
				day: today,
				metered_usd: '0',
				billed_usd: '0.07',
				difference_usd: '0.07',
				difference_percent: '100',
				status: 'open',
			},
		]);
		// The first run told the three drifts; a second run tells nothing new and changes nothing.
		expect(
			all
				.filter((row) => row.new_drift)
				.map((row) => `${String(row.api_key_id)}/${String(row.status)}`),
		).toEqual(['/unattributed', 'key_B/over', 'key_A/under']);
		expect(json(await run(parameters))).toEqual([]);
		const again = json(await run({ ...parameters, output: 'all' }));
		expect(again.map((row) => row.changed)).toEqual([false, false, false, false, false]);
		// A day that comes back within tolerance is matched again; if it drifts once more, it is told again.
		await query(
			`UPDATE llm_costs SET amount = 0.1 WHERE api_key_id = 'key_A' AND period_start = $1`,
			[d2],
		);
		expect(json(await run(parameters))).toEqual([]);
		await query(
			`UPDATE llm_costs SET amount = 0.2 WHERE api_key_id = 'key_A' AND period_start = $1`,
			[d2],
		);
		expect(shape(json(await run(parameters)))).toEqual([
			{
				api_key_id: 'key_A',
				day: d2,
				metered_usd: '0.1',
				billed_usd: '0.2',
				difference_usd: '0.1',
				difference_percent: '50',
				status: 'over',
			},
		]);
	});

	it('refuses a range that is not one, naming the field', async () => {
		const error = await runError(
			{
				resource: 'reconciliation',
				operation: 'reconcile',
				firstDay: '2026-11-05',
				lastDay: '2026-11-01',
				tolerance: 2,
				providers: ['openai'],
			},
			[{}],
		);
		expect(error.message).toBe(
			'"Last Day" must be a day on or after 2026-11-05, got "2026-11-01" (item 0)',
		);
	});
});
