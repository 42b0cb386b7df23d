/**
 * The quota ledger against a model of it, by fast-check's model-based testing on a real
 * PostgreSQL: random sequences of set limit, reserve (some born expired), settle (less, exactly or
 * more than reserved), release, settle again and sweep, each step's outcome predicted by the
 * model and every invariant checked after every step; then random concurrent batches, checked
 * for what no interleaving may break.
 */
import { randomUUID } from 'node:crypto';

import fc from 'fast-check';
import { Pool } from 'pg';

import {
	reserveQuota,
	setQuota,
	settleQuota,
	sweepExpired,
	type QuotaSubject,
	inQuotaUnit,
} from '../../packages/ledger/core/quota';
import { TestPostgres } from '../helpers/postgres';

jest.setTimeout(10 * 60 * 1000);

const postgres = new TestPostgres();
let pool: Pool;
let steps = 0;

beforeAll(async () => {
	await postgres.start();
	await postgres.createDatabase('keypilot');
	await postgres.setUpLedger('keypilot');
	pool = new Pool({ ...postgres.connection('keypilot'), max: 8 });
	// Stopping PostgreSQL at the end terminates the pool's idle connections: expected, not a failure.
	pool.on('error', (error: Error & { code?: string }) => {
		if (error.code !== '57P01') throw error;
	});
});

afterAll(async () => {
	await pool?.end();
	await postgres.stop();
});

interface Held {
	amount: number;
	/** Born past its time: the next statement that expires reservations charges it. */
	lapsed: boolean;
	/** Charged in full on expiry; a late settlement still replaces the charge. */
	charged: boolean;
}

/** What the ledger must hold for one token quota (period none, so no roll-over). */
interface Model {
	limit: number;
	used: number;
	held: Map<string, Held>;
	ended: Set<string>;
	/** Unsettled-usage rows: one per reservation charged on expiry, gone once it settles late. */
	logged: number;
	/** A provider reported more than was reserved: used may pass the limit by that. */
	overReported: boolean;
}

interface Real {
	subject: QuotaSubject;
}

const reservedOf = (model: Model) =>
	[...model.held.values()].filter((r) => !r.charged).reduce((sum, r) => sum + r.amount, 0);

/** Reserve and Settle (and the sweep) first charge every lapsed reservation but `except`. */
function expireLapsed(model: Model, except?: string) {
	for (const [id, reservation] of model.held) {
		if (id === except || !reservation.lapsed || reservation.charged) continue;
		reservation.charged = true;
		model.used += reservation.amount;
		model.logged++;
	}
}

async function checkInvariants(model: Model, real: Real) {
	steps++;
	const {
		rows: [row],
	} = await pool.query<{
		used: string;
		reserved: string;
		held_sum: string;
		held_count: string;
		logged: string;
	}>(
		`SELECT q.used::text, q.reserved::text,
		        (SELECT COALESCE(sum(amount), 0) FROM llm_quota_reservations r
		          WHERE r.subject_id = q.subject_id AND r.status = 'held')::text AS held_sum,
		        (SELECT count(*) FROM llm_quota_reservations r
		          WHERE r.subject_id = q.subject_id AND r.status = 'held')::text AS held_count,
		        (SELECT count(*) FROM llm_usage_log
		          WHERE api_flavor = 'unsettled_reservation' AND key_id = q.subject_id)::text AS logged
		   FROM llm_quotas q WHERE q.subject_type = $1 AND q.subject_id = $2`,
		[real.subject.type, real.subject.id],
	);
	const held = { sum: row.held_sum, count: row.held_count };
	const logged = { rows: row.logged };
	const lapsedHeld = [...model.held.values()].filter((r) => !r.charged).length;
	expect({
		used: row.used,
		reserved: row.reserved,
		heldSum: held.sum,
		heldCount: held.count,
	}).toEqual({
		used: String(model.used),
		reserved: String(reservedOf(model)),
		heldSum: String(reservedOf(model)),
		heldCount: String(lapsedHeld),
	});
	// Each expiry charged and logged once; a late settlement takes its row away again.
	expect(Number(logged.rows)).toBe(model.logged);
}

class SetLimit implements fc.AsyncCommand<Model, Real> {
	constructor(readonly limit: number) {}
	check = () => true;
	async run(model: Model, real: Real) {
		await setQuota(pool, real.subject, {
			type: 'tokens',
			limit: String(this.limit),
			period: 'none',
			warningPercent: null,
		});
		model.limit = this.limit;
		await checkInvariants(model, real);
	}
	toString = () => `SetLimit(${this.limit})`;
}

class Reserve implements fc.AsyncCommand<Model, Real> {
	constructor(
		readonly amount: number,
		readonly lapsed: boolean,
	) {}
	check = () => true;
	async run(model: Model, real: Real) {
		const id = randomUUID();
		const row = await reserveQuota(
			pool,
			real.subject,
			inQuotaUnit(String(this.amount)),
			id,
			this.lapsed ? 0 : 600,
		);
		expireLapsed(model);
		const fits = model.limit === 0 || model.used + reservedOf(model) + this.amount <= model.limit;
		expect({ allowed: row?.allowed }).toEqual({ allowed: fits });
		if (fits) {
			model.held.set(row!.reservation_id ?? id, {
				amount: this.amount,
				lapsed: this.lapsed,
				charged: false,
			});
			// What Reserve admits never takes the quota past its limit.
			if (model.limit > 0 && !model.overReported)
				expect(model.used + reservedOf(model)).toBeLessThanOrEqual(model.limit);
		}
		await checkInvariants(model, real);
	}
	toString = () => `Reserve(${this.amount}${this.lapsed ? ', lapsed' : ''})`;
}

class Settle implements fc.AsyncCommand<Model, Real> {
	/** `pick` chooses among held and ended reservations; `actual` as a share of the amount. */
	constructor(
		readonly pick: number,
		readonly share: number,
	) {}
	check = (model: Readonly<Model>) => model.held.size + model.ended.size > 0;
	async run(model: Model, real: Real) {
		const ids = [...model.held.keys(), ...model.ended];
		const id = ids[this.pick % ids.length];
		const reservation = model.held.get(id);
		const actual = reservation ? Math.floor((reservation.amount * this.share) / 100) : 7;
		const row = await settleQuota(pool, real.subject, id, inQuotaUnit(String(actual)));
		expireLapsed(model, id);
		if (!reservation) {
			// Settled before: nothing changes, nothing is charged twice.
			expect(row?.found).toBe(false);
		} else {
			expect(row?.found).toBe(true);
			if (reservation.charged) {
				model.used -= reservation.amount;
				model.logged--;
			}
			model.used += actual;
			if (actual > reservation.amount) model.overReported = true;
			model.held.delete(id);
			model.ended.add(id);
		}
		await checkInvariants(model, real);
	}
	toString = () => `Settle(#${this.pick}, ${this.share}%)`;
}

class Sweep implements fc.AsyncCommand<Model, Real> {
	check = () => true;
	async run(model: Model, real: Real) {
		await sweepExpired(pool);
		expireLapsed(model);
		await checkInvariants(model, real);
	}
	toString = () => 'Sweep';
}

const commands = [
	fc.integer({ min: 0, max: 2000 }).map((limit) => new SetLimit(limit)),
	fc
		.tuple(fc.integer({ min: 1, max: 400 }), fc.boolean())
		.map(([amount, lapsed]) => new Reserve(amount, lapsed)),
	fc
		.tuple(fc.nat(), fc.constantFrom(0, 30, 100, 100, 150))
		.map(([pick, share]) => new Settle(pick, share)),
	fc.constant(new Sweep()),
];

describe('the quota ledger against its model', () => {
	it('keeps used, reserved and every reservation exactly as the model says, step after step', async () => {
		const before = steps;
		await fc.assert(
			fc.asyncProperty(
				fc.commands(commands, { maxCommands: 60, size: 'max' }),
				async (sequence) => {
					const subject = { type: 'key_id', id: `model-${randomUUID()}` };
					await setQuota(pool, subject, {
						type: 'tokens',
						limit: '1000',
						period: 'none',
						warningPercent: null,
					});
					const model: Model = {
						limit: 1000,
						used: 0,
						held: new Map(),
						ended: new Set(),
						logged: 0,
						overReported: false,
					};
					await fc.asyncModelRun(() => ({ model, real: { subject } }), sequence);
				},
			),
			{ numRuns: 420 },
		);
		const checked = steps - before;
		process.stdout.write(`quota model: ${checked} steps checked in 420 sequences\n`);
		expect(checked).toBeGreaterThanOrEqual(10_000);
	});

	it('never lets concurrent requests take a quota past its limit, and loses nothing', async () => {
		let batches = 0;
		await fc.assert(
			fc.asyncProperty(
				fc.integer({ min: 100, max: 3000 }),
				fc.array(
					fc.record({
						amount: fc.integer({ min: 1, max: 500 }),
						share: fc.constantFrom(0, 50, 100),
						lapsed: fc.boolean(),
						sweep: fc.boolean(),
					}),
					{ minLength: 5, maxLength: 40 },
				),
				async (limit, requests) => {
					batches++;
					const subject = { type: 'key_id', id: `race-${randomUUID()}` };
					await setQuota(pool, subject, {
						type: 'tokens',
						limit: String(limit),
						period: 'none',
						warningPercent: null,
					});
					const settled: number[] = [];
					await Promise.all(
						requests.map(async (request) => {
							if (request.sweep) await sweepExpired(pool);
							const id = randomUUID();
							const row = await reserveQuota(
								pool,
								subject,
								inQuotaUnit(String(request.amount)),
								id,
								request.lapsed ? 0 : 600,
							);
							if (!row?.allowed || request.lapsed) return;
							const actual = Math.floor((request.amount * request.share) / 100);
							await settleQuota(
								pool,
								subject,
								row.reservation_id ?? id,
								inQuotaUnit(String(actual)),
							);
							settled.push(actual);
						}),
					);
					await sweepExpired(pool);
					const [row] = await postgres.query<{ used: string; reserved: string }>(
						'keypilot',
						`SELECT used::text, reserved::text FROM llm_quotas WHERE subject_id = $1`,
						[subject.id],
					);
					const [charged] = await postgres.query<{ sum: string }>(
						'keypilot',
						`SELECT COALESCE(sum(total_tokens), 0)::text AS sum FROM llm_usage_log
						  WHERE api_flavor = 'unsettled_reservation' AND key_id = $1`,
						[subject.id],
					);
					const settledSum = settled.reduce((sum, value) => sum + value, 0);
					expect(row.reserved).toBe('0');
					// Every token is either a settlement or a lapsed reservation's full charge.
					expect(Number(row.used)).toBe(settledSum + Number(charged.sum));
					expect(Number(row.used)).toBeLessThanOrEqual(limit);
				},
			),
			{ numRuns: 60 },
		);
		process.stdout.write(`quota races: ${batches} concurrent batches checked\n`);
	});
});
