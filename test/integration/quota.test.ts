import { createHash, randomUUID } from 'node:crypto';

import { Pool } from 'pg';

import { keyHash } from '../../packages/ledger/core/keyHash';
import { addDecimals, compareDecimals, multiplyDecimal, toDecimal } from '../../common/money';
import {
	checkQuota,
	describeQuota,
	parseQuotaAmount,
	parseQuotaPeriod,
	parseQuotaType,
	parseSubject,
	parseWarningPercent,
	QuotaInputError,
	reserveQuota,
	resetQuota,
	setQuota,
	settleQuota,
	sweepExpired,
	type QuotaSubject,
	inQuotaUnit,
} from '../../packages/ledger/core/quota';
import { TestPostgres } from '../helpers/postgres';
import { runQuotaWorker } from '../helpers/quotaWorkers';

jest.setTimeout(10 * 60 * 1000);

const postgres = new TestPostgres();
let pool: Pool;

beforeAll(async () => {
	await postgres.start();
	await postgres.createDatabase('keypilot');
	await postgres.setUpLedger('keypilot');
	pool = new Pool({ ...postgres.connection('keypilot'), max: 4 });
	// Stopping PostgreSQL at the end terminates the pool's idle connections: expected, not a failure.
	pool.on('error', (error: Error & { code?: string }) => {
		if (error.code !== '57P01') throw error;
	});
});

afterAll(async () => {
	await pool?.end();
	await postgres.stop();
});

let subjectCounter = 0;
function newSubject(type = 'key_id'): QuotaSubject {
	return { type, id: `key-${++subjectCounter}-${randomUUID().slice(0, 8)}` };
}

async function stored(subject: QuotaSubject) {
	const [row] = await postgres.query<{
		used: string;
		reserved: string;
		held: string;
		expired: string;
	}>(
		'keypilot',
		`SELECT q.used::text, q.reserved::text,
		        (SELECT count(*) FROM llm_quota_reservations r WHERE r.subject_id = q.subject_id AND r.status = 'held')::text AS held,
		        (SELECT count(*) FROM llm_quota_reservations r WHERE r.subject_id = q.subject_id AND r.status = 'expired')::text AS expired
		   FROM llm_quotas q WHERE q.subject_type = $1 AND q.subject_id = $2`,
		[subject.type, subject.id],
	);
	return row;
}

const reserve = (subject: QuotaSubject, amount: string, expiresIn = 300) =>
	reserveQuota(pool, subject, inQuotaUnit(amount), randomUUID(), expiresIn);

describe('quota: reserve and settle', () => {
	it('allows what fits, refuses what does not, and reports limit, usage, remaining and headers', async () => {
		const subject = newSubject();
		await setQuota(pool, subject, {
			type: 'tokens',
			limit: '100',
			period: 'none',
			warningPercent: null,
		});
		expect((await reserve(subject, '40'))?.allowed).toBe(true);
		const second = await reserve(subject, '40');
		expect(second?.allowed).toBe(true);
		const third = await reserve(subject, '40');
		expect(third?.allowed).toBe(false);
		expect(describeQuota(third!)).toEqual({
			quota_type: 'tokens',
			quota_limit: 100,
			quota_used: 80,
			remaining: 20,
			warning: false,
			scope: `key_id:${subject.id}`,
			headers: {
				'X-Quota-Used': '80',
				'X-Quota-Limit': '100',
				'X-Quota-Scope': `key_id:${subject.id}`,
			},
		});
		expect(third?.reservation_id).toBeNull();
		expect(await stored(subject)).toEqual({ used: '0', reserved: '80', held: '2', expired: '0' });
	});

	it('counts USD exactly: three reservations of 0.1 fill a limit of 0.3, a fourth does not fit', async () => {
		const subject = newSubject();
		await setQuota(pool, subject, {
			type: 'usd',
			limit: '0.3',
			period: 'none',
			warningPercent: null,
		});
		const results = [];
		for (let i = 0; i < 4; i++) results.push(await reserve(subject, '0.1'));
		expect(results.map((r) => r?.allowed)).toEqual([true, true, true, false]);
		for (const r of results.slice(0, 3))
			await settleQuota(pool, subject, r!.reservation_id!, inQuotaUnit('0.1'));
		expect(await stored(subject)).toMatchObject({ used: '0.3', reserved: '0', held: '0' });
		expect(describeQuota((await checkQuota(pool, subject, inQuotaUnit('0')))!)).toMatchObject({
			quota_used: '0.3',
			remaining: '0',
		});
	});

	it('settle replaces the estimate with the actual amount, once', async () => {
		const subject = newSubject();
		await setQuota(pool, subject, {
			type: 'tokens',
			limit: '1000',
			period: 'none',
			warningPercent: null,
		});
		const held = await reserve(subject, '500');
		const settled = await settleQuota(pool, subject, held!.reservation_id!, inQuotaUnit('321'));
		expect(settled).toMatchObject({ found: true, counts: true, used: '321', reserved: '0' });
		const again = await settleQuota(pool, subject, held!.reservation_id!, inQuotaUnit('321'));
		expect(again).toMatchObject({ found: false, used: '321', reserved: '0' });
		const releasedOnFailure = await reserve(subject, '100');
		expect(
			await settleQuota(pool, subject, releasedOnFailure!.reservation_id!, inQuotaUnit('0')),
		).toMatchObject({ used: '321', reserved: '0' });
	});

	it('charges a reservation never settled in full once it expires, logs it unsettled, and lets a late settlement correct it', async () => {
		const subject = newSubject('token_hash');
		await setQuota(pool, subject, {
			type: 'tokens',
			limit: '100',
			period: 'none',
			warningPercent: null,
		});
		const crashed = await reserve(subject, '70');
		await postgres.query(
			'keypilot',
			`UPDATE llm_quota_reservations SET expires_at = now() - interval '1 second' WHERE reservation_id = $1`,
			[crashed!.reservation_id],
		);
		// Read-only Check already counts it as used, not as free quota.
		expect(await checkQuota(pool, subject, inQuotaUnit('31'))).toMatchObject({
			allowed: false,
			used: '70',
			reserved: '0',
			expired_count: 1,
			expired_amount: '70',
		});
		expect((await reserve(subject, '31'))?.allowed).toBe(false);
		expect(await stored(subject)).toEqual({ used: '70', reserved: '0', held: '0', expired: '1' });
		const unsettled = await postgres.query(
			'keypilot',
			`SELECT key_hash, total_tokens::text, usage_complete, api_flavor FROM llm_usage_log WHERE request_id = $1`,
			[`reservation:${crashed!.reservation_id}`],
		);
		expect(unsettled).toEqual([
			{
				key_hash: subject.id,
				total_tokens: '70',
				usage_complete: false,
				api_flavor: 'unsettled_reservation',
			},
		]);
		// The answer arrives late after all: its real usage replaces the full charge.
		const late = await settleQuota(pool, subject, crashed!.reservation_id!, inQuotaUnit('30'));
		expect(late).toMatchObject({ found: true, reserved_amount: '70' });
		expect(await stored(subject)).toEqual({ used: '30', reserved: '0', held: '0', expired: '0' });
		expect(
			await postgres.query('keypilot', 'SELECT 1 FROM llm_usage_log WHERE request_id = $1', [
				`reservation:${crashed!.reservation_id}`,
			]),
		).toEqual([]);
	});

	it('charges expired reservations in full with no other request coming: the sweep, on every quota at once', async () => {
		const tokens = newSubject('token_hash');
		const usd = newSubject('key_hash');
		await setQuota(pool, tokens, {
			type: 'tokens',
			limit: '100',
			period: 'none',
			warningPercent: null,
		});
		await setQuota(pool, usd, { type: 'usd', limit: '5', period: 'monthly', warningPercent: null });
		const hung = await reserve(tokens, '40');
		const alive = await reserve(tokens, '10');
		const lost = await reserve(usd, '1.000001');
		await postgres.query(
			'keypilot',
			`UPDATE llm_quota_reservations SET expires_at = now() - interval '1 second'
			  WHERE reservation_id = ANY($1::uuid[])`,
			[[hung!.reservation_id, lost!.reservation_id]],
		);
		const swept = (await sweepExpired(pool)).filter((row) =>
			[tokens.id, usd.id].includes(row.subject_id),
		);
		expect(swept).toEqual([
			expect.objectContaining({
				subject_id: usd.id,
				used: '1.000001',
				reserved: '0',
				expired_count: 1,
				expired_amount: '1.000001',
				charged_amount: '1.000001',
			}),
			expect.objectContaining({
				subject_id: tokens.id,
				used: '40',
				reserved: '10',
				expired_count: 1,
				charged_amount: '40',
			}),
		]);
		expect(await stored(tokens)).toEqual({ used: '40', reserved: '10', held: '1', expired: '1' });
		const rows = await postgres.query(
			'keypilot',
			`SELECT key_hash, total_tokens::text, trim_scale(cost_usd)::text AS cost_usd, usage_complete, error_message
			   FROM llm_usage_log WHERE request_id = ANY($1) ORDER BY total_tokens NULLS LAST`,
			[[`reservation:${hung!.reservation_id}`, `reservation:${lost!.reservation_id}`]],
		);
		expect(rows).toEqual([
			{
				key_hash: tokens.id,
				total_tokens: '40',
				cost_usd: null,
				usage_complete: false,
				error_message: 'Reservation expired before it was settled: charged in full',
			},
			{
				key_hash: usd.id,
				total_tokens: null,
				cost_usd: '1.000001',
				usage_complete: false,
				error_message: 'Reservation expired before it was settled: charged in full',
			},
		]);
		// Nothing is charged twice: a second sweep finds nothing, the live reservation settles.
		expect((await sweepExpired(pool)).filter((row) => row.subject_id === tokens.id)).toEqual([]);
		expect(await settleQuota(pool, tokens, alive!.reservation_id!, inQuotaUnit('7'))).toMatchObject(
			{
				found: true,
			},
		);
		expect(await stored(tokens)).toEqual({ used: '47', reserved: '0', held: '0', expired: '1' });
	});

	it('sweeps while requests reserve and settle on the same quotas, without a deadlock or a lost token', async () => {
		const subjects = [newSubject(), newSubject(), newSubject()];
		for (const subject of subjects)
			await setQuota(pool, subject, {
				type: 'tokens',
				limit: '0',
				period: 'none',
				warningPercent: null,
			});
		const expected = new Map(subjects.map((subject) => [subject.id, { expired: 0, settled: 0 }]));
		await Promise.all(
			Array.from({ length: 60 }, async (_, n) => {
				if (n % 5 === 0) return await sweepExpired(pool);
				const subject = subjects[n % subjects.length];
				const tally = expected.get(subject.id)!;
				// Every third request never settles and is born expired: sweeps and Reserve race to charge it.
				if (n % 3 === 0) {
					tally.expired++;
					return await reserve(subject, '10', 0);
				}
				tally.settled++;
				const held = await reserve(subject, '10');
				return await settleQuota(pool, subject, held!.reservation_id!, inQuotaUnit('4'));
			}),
		);
		await sweepExpired(pool);
		for (const subject of subjects) {
			const { expired, settled } = expected.get(subject.id)!;
			const [{ logged, rows }] = await postgres.query<{ logged: string; rows: string }>(
				'keypilot',
				`SELECT COALESCE(sum(total_tokens), 0)::text AS logged, count(*)::text AS rows
				   FROM llm_usage_log WHERE api_flavor = 'unsettled_reservation' AND key_id = $1`,
				[subject.id],
			);
			expect({ subject: subject.id, ...(await stored(subject)), logged, rows }).toEqual({
				subject: subject.id,
				used: String(10 * expired + 4 * settled),
				reserved: '0',
				held: '0',
				expired: String(expired),
				logged: String(10 * expired),
				rows: String(expired),
			});
		}
	});

	it('charges a USD reservation in full on expiry, exactly', async () => {
		const subject = newSubject();
		await setQuota(pool, subject, {
			type: 'usd',
			limit: '1',
			period: 'none',
			warningPercent: null,
		});
		const crashed = await reserve(subject, '0.123456789012345678');
		await postgres.query(
			'keypilot',
			`UPDATE llm_quota_reservations SET expires_at = now() - interval '1 second' WHERE reservation_id = $1`,
			[crashed!.reservation_id],
		);
		expect((await reserve(subject, '0.876543210987654323'))?.allowed).toBe(false);
		expect((await reserve(subject, '0.876543210987654322'))?.allowed).toBe(true);
		const [row] = await postgres.query(
			'keypilot',
			'SELECT cost_usd::text FROM llm_usage_log WHERE request_id = $1',
			[`reservation:${crashed!.reservation_id}`],
		);
		expect(row).toEqual({ cost_usd: '0.123456789012345678' });
	});

	it('starts a new period: usage from the last one no longer counts, nor does its late settlement', async () => {
		const subject = newSubject();
		await setQuota(pool, subject, {
			type: 'tokens',
			limit: '100',
			period: 'daily',
			warningPercent: null,
		});
		const yesterday = await reserve(subject, '70');
		const full = await reserve(subject, '30');
		await settleQuota(pool, subject, full!.reservation_id!, inQuotaUnit('30'));
		expect((await reserve(subject, '1'))?.allowed).toBe(false);
		// The day is over: move the period and the in-flight reservation one day back.
		await postgres.query(
			'keypilot',
			`UPDATE llm_quotas SET period_start = period_start - interval '1 day' WHERE subject_id = $1`,
			[subject.id],
		);
		await postgres.query(
			'keypilot',
			`UPDATE llm_quota_reservations SET created_at = created_at - interval '1 day' WHERE subject_id = $1`,
			[subject.id],
		);
		const today = await reserve(subject, '25');
		expect(today?.allowed).toBe(true);
		expect(await stored(subject)).toMatchObject({ used: '0', reserved: '95' });
		const late = await settleQuota(pool, subject, yesterday!.reservation_id!, inQuotaUnit('70'));
		expect(late).toMatchObject({ found: true, counts: false, used: '0', reserved: '25' });
		const [{ period_start }] = await postgres.query<{ period_start: string }>(
			'keypilot',
			`SELECT (period_start = date_trunc('day', now(), 'UTC'))::text AS period_start FROM llm_quotas WHERE subject_id = $1`,
			[subject.id],
		);
		expect(period_start).toBe('true');
	});

	it('takes a lowered limit at once for new requests, keeps requests in flight, and a raised one too', async () => {
		const subject = newSubject();
		await setQuota(pool, subject, {
			type: 'tokens',
			limit: '100',
			period: 'monthly',
			warningPercent: null,
		});
		const inFlight = await reserve(subject, '80');
		await setQuota(pool, subject, {
			type: 'tokens',
			limit: '50',
			period: 'monthly',
			warningPercent: null,
		});
		expect((await reserve(subject, '1'))?.allowed).toBe(false);
		expect(
			await settleQuota(pool, subject, inFlight!.reservation_id!, inQuotaUnit('80')),
		).toMatchObject({
			used: '80',
		});
		await setQuota(pool, subject, {
			type: 'tokens',
			limit: '200',
			period: 'monthly',
			warningPercent: null,
		});
		expect((await reserve(subject, '120'))?.allowed).toBe(true);
		expect((await reserve(subject, '1'))?.allowed).toBe(false);
	});

	it('treats a limit of 0 as unlimited but still counts', async () => {
		const subject = newSubject();
		await setQuota(pool, subject, {
			type: 'usd',
			limit: '0',
			period: 'none',
			warningPercent: '80',
		});
		const row = await reserve(subject, '123456789.123456789');
		expect(describeQuota(row!)).toEqual({
			quota_type: 'usd',
			quota_limit: '0',
			quota_used: '123456789.123456789',
			remaining: null,
			warning: false,
			scope: `key_id:${subject.id}`,
			headers: {
				'X-Quota-Used': '123456789.123456789',
				'X-Quota-Limit': 'unlimited',
				'X-Quota-Scope': `key_id:${subject.id}`,
			},
		});
	});

	it('flags only the request that crosses the warning threshold', async () => {
		const subject = newSubject();
		await setQuota(pool, subject, {
			type: 'tokens',
			limit: '100',
			period: 'none',
			warningPercent: '80',
		});
		const warnings = [];
		for (const amount of ['70', '15', '5'])
			warnings.push(describeQuota((await reserve(subject, amount))!).warning);
		expect(warnings).toEqual([false, true, false]);
	});

	it('answers nothing for a subject without a quota, and Reset starts usage again', async () => {
		const subject = newSubject();
		expect(await reserve(subject, '1')).toBeUndefined();
		await setQuota(pool, subject, {
			type: 'tokens',
			limit: '10',
			period: 'none',
			warningPercent: null,
		});
		const r = await reserve(subject, '10');
		await settleQuota(pool, subject, r!.reservation_id!, inQuotaUnit('10'));
		expect((await reserve(subject, '1'))?.allowed).toBe(false);
		expect(await resetQuota(pool, subject)).toMatchObject({ used: '0' });
		expect((await reserve(subject, '10'))?.allowed).toBe(true);
	});
});

describe('quota: bad input names the field and is refused before any write', () => {
	it.each([
		['NaN', 'tokens'],
		['-1', 'tokens'],
		['abc', 'usd'],
		['1.5', 'tokens'],
		['', 'usd'],
		[null, 'usd'],
		[Number.NaN, 'usd'],
	] as const)('amount %p for %s', (value, type) => {
		expect(() => parseQuotaAmount(type, value, 'Limit')).toThrow(QuotaInputError);
		expect(() => parseQuotaAmount(type, value, 'Limit')).toThrow(/^"Limit" must be/);
	});

	it('keeps valid amounts exact', () => {
		expect(parseQuotaAmount('usd', '0.30000000000000004', 'Limit')).toBe('0.30000000000000004');
		expect(parseQuotaAmount('tokens', 1000, 'Limit')).toBe('1000');
	});

	it('refuses unknown types, periods, thresholds and a missing key', () => {
		expect(() => parseQuotaType('credits')).toThrow(
			'"Quota Type" must be tokens or usd, got "credits"',
		);
		expect(() => parseQuotaPeriod('yearly')).toThrow(
			'"Period" must be one of none, daily, weekly, monthly, got "yearly"',
		);
		expect(() => parseWarningPercent('150')).toThrow(/"Warning Threshold" must be a percentage/);
		expect(() => parseSubject('key_id', '  ')).toThrow('"Key" is required');
	});
});

interface WorkerResult {
	amount: string;
	allowed: boolean;
	reservationId: string | null;
}

/** 64 reservations from two processes at once, 32 each, all released at the same instant. */
async function race(subject: QuotaSubject, amounts: string[]): Promise<WorkerResult[]> {
	const startAt = Date.now() + 700;
	const half = amounts.length / 2;
	const base = { connection: postgres.connection('keypilot'), subject, startAt };
	const [a, b] = await Promise.all([
		runQuotaWorker<WorkerResult>({ ...base, amounts: amounts.slice(0, half) }),
		runQuotaWorker<WorkerResult>({ ...base, amounts: amounts.slice(half) }),
	]);
	return [...a, ...b];
}

function randomAmount(type: 'tokens' | 'usd'): string {
	if (type === 'tokens') return String(1 + Math.floor(Math.random() * 5000));
	return toDecimal(
		`${Math.floor(Math.random() * 3)}.${String(Math.floor(Math.random() * 1e9)).padStart(9, '0')}1`,
	);
}

describe('quota under concurrency: two processes, 64 reservations at once', () => {
	it('allows exactly N when the quota fits exactly N, 20 times with random amounts', async () => {
		for (let run = 0; run < 20; run++) {
			const type = run % 2 === 0 ? 'tokens' : 'usd';
			const amount = randomAmount(type);
			const fits = 1 + Math.floor(Math.random() * 63);
			const limit = multiplyDecimal(amount, String(fits));
			const subject = newSubject();
			await setQuota(pool, subject, { type, limit, period: 'none', warningPercent: null });

			const results = await race(
				subject,
				Array.from({ length: 64 }, () => amount),
			);
			const allowed = results.filter((r) => r.allowed);
			expect({ run, type, amount, allowed: allowed.length }).toEqual({
				run,
				type,
				amount,
				allowed: fits,
			});
			const held = await stored(subject);
			expect({ ...held, reserved: toDecimal(held.reserved) }).toEqual({
				used: '0',
				reserved: limit,
				held: String(fits),
				expired: '0',
			});

			for (const r of allowed)
				await settleQuota(pool, subject, r.reservationId!, inQuotaUnit(amount));
			const final = await stored(subject);
			expect({ run, used: toDecimal(final.used), reserved: toDecimal(final.reserved) }).toEqual({
				run,
				used: limit,
				reserved: '0',
			});
		}
	});

	it('never goes over the limit with different amounts, and refuses only what could not fit', async () => {
		for (let run = 0; run < 5; run++) {
			const type = run % 2 === 0 ? 'usd' : 'tokens';
			const amounts = Array.from({ length: 64 }, () => randomAmount(type));
			const limit = addDecimals(...amounts.slice(0, 20));
			const subject = newSubject();
			await setQuota(pool, subject, { type, limit, period: 'none', warningPercent: null });
			const results = await race(subject, amounts);
			const total = addDecimals('0', ...results.filter((r) => r.allowed).map((r) => r.amount));
			expect(compareDecimals(total, limit)).toBeLessThanOrEqual(0);
			expect(toDecimal((await stored(subject)).reserved)).toBe(total);
			const room = addDecimals(limit, `-${total}`);
			for (const denied of results.filter((r) => !r.allowed))
				expect(compareDecimals(denied.amount, room)).toBe(1);
		}
	});
});

describe('token hashing in SQL and in the nodes', () => {
	it('agrees: the key, with "Bearer " in any case and with spaces around, has one hash', async () => {
		const key = 'kp_0123456789abcdef';
		for (const given of [key, `Bearer ${key}`, `  bearer   ${key}  `, `BEARER ${key}`]) {
			const [row] = await postgres.query<{ hash: string }>(
				'keypilot',
				'SELECT keypilot_token_hash($1) AS hash',
				[given],
			);
			expect(row.hash).toBe(keyHash(given));
		}
		expect(keyHash(key)).toBe(createHash('sha256').update(key).digest('hex'));
	});
});
