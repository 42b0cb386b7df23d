import { createHash } from 'node:crypto';

import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { LEDGER_SCHEMA_VERSION } from '../../packages/ledger/core/migrations';
import { QuotaCheck } from '../../packages/ledger/nodes/QuotaCheck/QuotaCheck.node';
import { TestPostgres } from '../helpers/postgres';
import { runWithPostgres } from '../helpers/postgresNode';

jest.setTimeout(5 * 60 * 1000);

const postgres = new TestPostgres();

beforeAll(async () => {
	await postgres.start();
	await postgres.createDatabase('keypilot');
	await postgres.createDatabase('empty');
	await postgres.setUpLedger('keypilot');
});

afterAll(async () => {
	await postgres.stop();
});

async function run(
	parameters: IDataObject | IDataObject[],
	items: IDataObject[] = [{}],
	options: Parameters<typeof runWithPostgres>[4] = {},
): Promise<INodeExecutionData[][]> {
	return await runWithPostgres(new QuotaCheck(), postgres, parameters, items, options);
}

async function runError(
	parameters: IDataObject | IDataObject[],
	items?: IDataObject[],
	database?: string,
) {
	try {
		await run(parameters, items, { database });
	} catch (error) {
		return error as Error;
	}
	throw new Error('expected the node to fail');
}

const quotaRow = async (id: string) =>
	(
		await postgres.query(
			'keypilot',
			'SELECT used::text, reserved::text, limit_amount::text FROM llm_quotas WHERE subject_id = $1',
			[id],
		)
	)[0];

const setTokens = (key: string, limit: string, extra: IDataObject = {}) =>
	run({
		operation: 'set',
		subjectType: 'key_id',
		subject: key,
		quotaType: 'tokens',
		limit,
		period: 'none',
		...extra,
	});

describe('Quota Check node on a real Postgres', () => {
	it('sends each request to Allowed or Exhausted, keeping the item and pairing it, with headers', async () => {
		await setTokens('node-key-1', '100', { warningPercent: 50 });
		const [allowed, exhausted] = await run(
			{ operation: 'reserve', subjectType: 'key_id', subject: 'node-key-1', amount: '40' },
			[{ request: 'a' }, { request: 'b' }, { request: 'c' }],
		);
		expect(allowed.map((item) => [item.json.request, item.pairedItem])).toEqual([
			['a', { item: 0 }],
			['b', { item: 1 }],
		]);
		expect(allowed[1].json.quota).toMatchObject({
			allowed: true,
			quota_limit: 100,
			quota_used: 80,
			remaining: 20,
			warning: true,
			headers: { 'X-Quota-Used': '80', 'X-Quota-Limit': '100' },
			reservation_id: expect.stringMatching(/^[0-9a-f-]{36}$/),
		});
		expect(allowed[0].json.quota).toMatchObject({ warning: false });
		expect(exhausted).toEqual([
			{
				json: {
					request: 'c',
					quota: expect.objectContaining({
						allowed: false,
						error_code: 'API_KEY_QUOTA_EXHAUSTED',
						quota_used: 80,
						quota_limit: 100,
					}),
				},
				pairedItem: { item: 2 },
			},
		]);

		const reservationId = (allowed[0].json.quota as IDataObject).reservation_id;
		const [settled] = await run({
			operation: 'settle',
			subjectType: 'key_id',
			subject: 'node-key-1',
			reservationId,
			actualAmount: '25',
		});
		expect(settled[0].json.quota).toMatchObject({ settled: true, counted: true, quota_used: 65 });
		expect(await quotaRow('node-key-1')).toEqual({
			used: '25',
			reserved: '40',
			limit_amount: '100',
		});
	});

	it('uses only the SHA-256 of an API key, never the key itself', async () => {
		const key = 'sk-proj-NodeTestSecretKeyValue0123456789';
		const hash = createHash('sha256').update(key).digest('hex');
		const [out] = await run({
			operation: 'set',
			subjectType: 'api_key',
			subject: key,
			quotaType: 'usd',
			limit: '12.5',
			period: 'monthly',
		});
		expect(out[0].json.quota).toMatchObject({
			subject_type: 'key_hash',
			subject_id: hash,
			quota_limit: '12.5',
			period: 'monthly',
		});
		expect(JSON.stringify(out)).not.toContain(key);
		const rows = await postgres.query(
			'keypilot',
			'SELECT subject_id FROM llm_quotas WHERE subject_type = $1',
			['key_hash'],
		);
		expect(rows).toEqual([{ subject_id: hash }]);
	});

	it('refuses bad input naming field and item, and writes nothing of the batch', async () => {
		expect(
			(
				await runError({
					operation: 'set',
					subjectType: 'key_id',
					subject: 'bad-1',
					quotaType: 'tokens',
					limit: '-5',
					period: 'none',
				})
			).message,
		).toBe('"Limit" must be zero or more, got "-5" (item 0)');
		expect(
			(
				await runError({
					operation: 'set',
					subjectType: 'key_id',
					subject: 'bad-1',
					quotaType: 'tokens',
					limit: 'lots',
					period: 'none',
				})
			).message,
		).toContain('"Limit" must be a whole number of tokens');
		expect(
			(
				await runError({
					operation: 'set',
					subjectType: 'key_id',
					subject: 'bad-1',
					quotaType: 'credits',
					limit: '5',
					period: 'none',
				})
			).message,
		).toContain('"Quota Type" must be tokens or usd');
		expect(
			(
				await runError({
					operation: 'set',
					subjectType: 'key_id',
					subject: 'bad-1',
					quotaType: 'usd',
					limit: '5',
					period: 'yearly',
				})
			).message,
		).toContain('"Period" must be one of');
		expect(
			(await runError({ operation: 'reserve', subjectType: 'key_id', subject: '', amount: '1' }))
				.message,
		).toContain('"Key" is required');
		expect(await quotaRow('bad-1')).toBeUndefined();

		await setTokens('batch-key', '100');
		const error = await runError(
			[
				{ operation: 'reserve', subjectType: 'key_id', subject: 'batch-key', amount: '10' },
				{ operation: 'reserve', subjectType: 'key_id', subject: 'batch-key', amount: 'NaN' },
			],
			[{}, {}],
		);
		expect(error.message).toBe(
			'"Estimated Amount" must be a decimal amount in USD, got "NaN" (item 1)',
		);
		expect(await quotaRow('batch-key')).toEqual({ used: '0', reserved: '0', limit_amount: '100' });
	});

	it('under plain Continue, a failed Reserve goes to Exhausted saying why; the good ones still reserve', async () => {
		await setTokens('cof-key', '100');
		const [allowed, exhausted] = await run(
			[
				{ operation: 'reserve', subjectType: 'key_id', subject: 'cof-key', amount: '10' },
				{ operation: 'reserve', subjectType: 'key_id', subject: 'cof-key', amount: '-3' },
				{ operation: 'reserve', subjectType: 'key_id', subject: 'cof-key', amount: '1.5' },
				{
					operation: 'reserve',
					subjectType: 'key_id',
					subject: 'no-such-quota',
					amount: '1',
					whenNoQuota: 'error',
				},
			],
			[{ n: 0 }, { n: 1 }, { n: 2 }, { n: 3 }],
			{ onError: 'continueRegularOutput' },
		);
		expect(allowed.map((item) => item.json.n)).toEqual([0]);
		expect(exhausted.map((item) => [item.json.n, item.json.quota])).toEqual([
			[
				1,
				{
					allowed: false,
					error_code: 'QUOTA_INPUT_INVALID',
					message: '"Estimated Amount" must be zero or more, got "-3" (item 1)',
				},
			],
			[
				2,
				{
					allowed: false,
					error_code: 'QUOTA_INPUT_INVALID',
					message:
						'"Estimated Amount" must be a whole number of tokens for this token quota, got 1.5 (item 2)',
				},
			],
			[
				3,
				{
					allowed: false,
					error_code: 'QUOTA_NOT_SET',
					message: 'No quota is set for key_id "no-such-quota" (item 3)',
				},
			],
		]);
		expect(await quotaRow('cof-key')).toEqual({ used: '0', reserved: '10', limit_amount: '100' });
	});

	// Each failure kind under each On Error setting: nothing that failed may leave through Allowed.
	const failures: Array<[string, Parameters<typeof runWithPostgres>[4], IDataObject]> = [
		['an invalid amount', {}, { amount: 'abc' }],
		['an unreachable database', { port: 1 }, {}],
		['a database without the quota tables', { database: 'empty' }, {}],
		['a cancelled statement', {}, { subject: 'cancel-me' }],
	];
	for (const [kind, options, parameters] of failures) {
		for (const onError of ['continueRegularOutput', 'continueErrorOutput'] as const) {
			for (const operation of ['reserve', 'check']) {
				it(`${operation} with ${kind} under ${onError}: no item reaches Allowed`, async () => {
					await setTokens('exhausted-key', '10');
					await run({
						operation: 'reserve',
						subjectType: 'key_id',
						subject: 'exhausted-key',
						amount: '10',
					});
					const subject = (parameters.subject as string) ?? 'exhausted-key';
					let cancel: Promise<unknown> | undefined;
					if (subject === 'cancel-me') {
						await setTokens(subject, '10');
						// Lock the quota table so the node's statement waits, then cancel that statement.
						const holder = postgres.client('keypilot');
						await holder.connect();
						await holder.query('BEGIN');
						await holder.query('LOCK TABLE llm_quotas IN ACCESS EXCLUSIVE MODE');
						cancel = (async () => {
							for (let tries = 0; tries < 100; tries++) {
								const { rows } = await holder.query(
									`SELECT pg_cancel_backend(pid) AS cancelled FROM pg_stat_activity
									  WHERE application_name = 'n8n-nodes-keypilot' AND wait_event_type = 'Lock'`,
								);
								if (rows.length) break;
								await new Promise((resolve) => setTimeout(resolve, 50));
							}
							await holder.query('ROLLBACK');
							await holder.end();
						})();
					}
					const outputs = await run(
						{ operation, subjectType: 'key_id', amount: '1', ...parameters, subject },
						// A cancelled statement fails only its own item: the next one runs once the lock is gone.
						subject === 'cancel-me' ? [{ caller: 'a' }] : [{ caller: 'a' }, { caller: 'b' }],
						{ ...options, onError },
					);
					await cancel;
					const [allowed, exhausted] = outputs;
					expect(allowed).toEqual([]);
					expect(exhausted).toHaveLength(subject === 'cancel-me' ? 1 : 2);
					for (const item of exhausted) {
						if (onError === 'continueErrorOutput') {
							// n8n moves an item to the error output only when its JSON is nothing but the error.
							expect(Object.keys(item.json).sort()).toEqual(
								Object.keys(item.json)
									.filter((key) => ['error', 'details'].includes(key))
									.sort(),
							);
							expect(item.json.error).toEqual(expect.any(String));
						} else {
							expect(item.json.caller).toBeDefined();
							expect(item.json.quota).toMatchObject({
								allowed: false,
								error_code: expect.any(String),
							});
						}
					}
				});
			}
		}
	}

	it('Get shows a reservation that expired unsettled as charged in full, not as free quota', async () => {
		await setTokens('expiring-key', '100');
		const [allowed] = await run({
			operation: 'reserve',
			subjectType: 'key_id',
			subject: 'expiring-key',
			amount: '40',
		});
		await postgres.query(
			'keypilot',
			`UPDATE llm_quota_reservations SET expires_at = now() - interval '1 second' WHERE reservation_id = $1`,
			[(allowed[0].json.quota as IDataObject).reservation_id],
		);
		const [got] = await run({ operation: 'get', subjectType: 'key_id', subject: 'expiring-key' });
		expect(got[0].json.quota).toMatchObject({
			quota_used: 40,
			remaining: 60,
			expired_reservations: 1,
			expired_amount: 40,
		});
	});

	it('lets a subject without a quota pass, or sends it to Exhausted if told to', async () => {
		const [allowed] = await run({
			operation: 'reserve',
			subjectType: 'key_id',
			subject: 'nobody',
			amount: '5',
		});
		expect(allowed[0].json.quota).toMatchObject({ allowed: true, quota_limit: null });
		const [, exhausted] = await run({
			operation: 'reserve',
			subjectType: 'key_id',
			subject: 'nobody',
			amount: '5',
			whenNoQuota: 'deny',
		});
		expect(exhausted[0].json.quota).toMatchObject({
			allowed: false,
			error_code: 'API_KEY_QUOTA_EXHAUSTED',
		});
	});

	it('checks without reserving, and says when the tables are missing', async () => {
		await setTokens('check-key', '10');
		const [allowed, exhausted] = await run({
			operation: 'check',
			subjectType: 'key_id',
			subject: 'check-key',
			amount: '11',
		});
		expect(allowed).toEqual([]);
		expect(exhausted[0].json.quota).toMatchObject({ allowed: false, quota_used: 0, remaining: 10 });
		expect(await quotaRow('check-key')).toEqual({ used: '0', reserved: '0', limit_amount: '10' });
		const missing = await runError(
			{ operation: 'check', subjectType: 'key_id', subject: 'x', amount: '1' },
			[{}],
			'empty',
		);
		expect(missing.message).toBe(
			`The ledger database is at schema version 0; these nodes need version ${LEDGER_SCHEMA_VERSION}`,
		);
	});
});

describe('Quota Check: rate limits through the node', () => {
	it('Check and Reserve refused by a rate limit say RATE_LIMITED and when to retry, not a spent quota', async () => {
		await run({
			operation: 'setRateLimit',
			subjectType: 'key_id',
			subject: 'rated-key',
			rateLimitKind: 'requests_per_minute',
			rateLimit: '1',
		});
		const reserve = {
			operation: 'reserve',
			subjectType: 'key_id',
			subject: 'rated-key',
			amount: '1',
		};
		const [first] = await run(reserve);
		expect(first).toHaveLength(1);
		for (const operation of ['check', 'reserve']) {
			const [allowed, refused] = await run({ ...reserve, operation });
			expect(allowed).toEqual([]);
			expect(refused[0].json.quota).toMatchObject({
				allowed: false,
				error_code: 'RATE_LIMITED',
				message: expect.stringMatching(/^Rate limit reached on key_id:rated-key;/),
				retry_after: expect.any(Number),
			});
			const retry = (refused[0].json.quota as IDataObject).retry_after as number;
			expect(retry).toBeGreaterThan(0);
			expect(retry).toBeLessThanOrEqual(60);
		}
	});
});

describe('Quota Check: layers through the node', () => {
	it('Set Parent, For Models, Set Rate Limit and Get: a token in a team sees every layer; bad parents are refused by name', async () => {
		await run({
			operation: 'set',
			subjectType: 'team',
			subject: 'node-team',
			quotaType: 'usd',
			limit: '50',
			period: 'monthly',
		});
		await run({
			operation: 'set',
			subjectType: 'team',
			subject: 'node-team',
			quotaType: 'usd',
			limit: '5',
			period: 'monthly',
			models: 'o3*',
		});
		await run({
			operation: 'setRateLimit',
			subjectType: 'team',
			subject: 'node-team',
			rateLimitKind: 'requests_per_minute',
			rateLimit: '60',
		});
		const [[placed]] = await run({
			operation: 'setParent',
			subjectType: 'token_hash',
			subject: 'node-token',
			parentType: 'team',
			parent: 'node-team',
		});
		expect(placed.json.quota).toEqual({
			subject_type: 'token_hash',
			subject_id: 'node-token',
			parent_type: 'team',
			parent_id: 'node-team',
			changed: true,
		});
		const [[got]] = await run({
			operation: 'get',
			subjectType: 'token_hash',
			subject: 'node-token',
			model: 'o3-pro',
		});
		expect(
			((got.json.quota as IDataObject).layers as IDataObject[]).map((l) => [l.models, l.kind]),
		).toEqual([
			['o3*', 'budget'],
			[null, 'budget'],
			[null, 'requests_per_minute'],
		]);
		const cycle = await runError({
			operation: 'setParent',
			subjectType: 'team',
			subject: 'node-team',
			parentType: 'team',
			parent: 'node-team',
		});
		expect(cycle.message).toMatch(
			/^"Parent" team "node-team" is team "node-team" itself or inside it/,
		);
		const wrongType = await runError({
			operation: 'setParent',
			subjectType: 'token_hash',
			subject: 'node-token',
			parentType: 'token_hash',
			parent: 'other',
		});
		expect(wrongType.message).toMatch(
			/^"Parent Type" must be one of team, organization, project, account, got "token_hash"/,
		);
	});
});
