/**
 * The quota ledger against a model of it, by fast-check's model-based testing on a real
 * PostgreSQL: random sequences of set limit, reserve (some born expired), settle (less, exactly or
 * more than reserved), release, settle again, sweep, reset of the period, key rotation (the new key spends as the old)
 * and a process dying inside a reserve's or a settle's transaction, each step's outcome predicted
 * by the model and every invariant checked after every step; then random concurrent batches, checked
 * for what no interleaving may break; then the same for a token and a sibling inside one team.
 */
import { randomUUID } from 'node:crypto';

import fc from 'fast-check';
import { Client, Pool } from 'pg';

import {
	reserveQuota,
	resetQuota,
	setParent,
	setQuota,
	settleQuota,
	sweepExpired,
	type QuotaSubject,
	inQuotaUnit,
} from '../../packages/ledger/core/quota';
import { CARRY_QUOTA_SQL } from '../../packages/ledger/core/rotation/record';
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
	/** Made in the current period: its charge counts in `used` (a reset starts a new one). */
	counted: boolean;
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
	/** The quota's own subject: the first key. */
	subject: QuotaSubject;
	/** The key requests come from now: the last one rotated in. */
	current: QuotaSubject;
	/** The key each held reservation was made by, which settles it. */
	owners: Map<string, QuotaSubject>;
}

const reservedOf = (model: Model) =>
	[...model.held.values()].filter((r) => !r.charged).reduce((sum, r) => sum + r.amount, 0);

/** Reserve and Settle (and the sweep) first charge every lapsed reservation but `except`. */
function expireLapsed(model: Model, except?: string) {
	for (const [id, reservation] of model.held) {
		if (id === except || !reservation.lapsed || reservation.charged) continue;
		reservation.charged = true;
		if (reservation.counted) model.used += reservation.amount;
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
			real.current,
			inQuotaUnit(String(this.amount)),
			id,
			this.lapsed ? 0 : 600,
		);
		real.owners.set(row?.reservation_id ?? id, real.current);
		expireLapsed(model);
		const fits = model.limit === 0 || model.used + reservedOf(model) + this.amount <= model.limit;
		expect({ allowed: row?.allowed }).toEqual({ allowed: fits });
		if (fits) {
			model.held.set(row!.reservation_id ?? id, {
				amount: this.amount,
				lapsed: this.lapsed,
				charged: false,
				counted: true,
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
		const row = await settleQuota(
			pool,
			real.owners.get(id) ?? real.current,
			id,
			inQuotaUnit(String(actual)),
		);
		expireLapsed(model, id);
		if (!reservation) {
			// Settled before: nothing changes, nothing is charged twice.
			expect(row?.found).toBe(false);
		} else {
			expect(row?.found).toBe(true);
			if (reservation.charged) {
				if (reservation.counted) model.used -= reservation.amount;
				model.logged--;
			}
			// Usage counts in the period the reservation was made in.
			if (reservation.counted) model.used += actual;
			if (reservation.counted && actual > reservation.amount) model.overReported = true;
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

/** Reset: the quota starts a new period now; what was reserved before counts in the old one. */
class Reset implements fc.AsyncCommand<Model, Real> {
	check = () => true;
	async run(model: Model, real: Real) {
		const row = await resetQuota(pool, real.current);
		expect(row?.used).toBe('0');
		model.used = 0;
		model.overReported = false;
		for (const reservation of model.held.values()) reservation.counted = false;
		await checkInvariants(model, real);
	}
	toString = () => 'Reset';
}

/** Key rotation: a new key spends as the one before it, as Rotate Key's carry-over leaves it. */
class Rotate implements fc.AsyncCommand<Model, Real> {
	check = () => true;
	async run(model: Model, real: Real) {
		const next = { type: 'key_id', id: `${real.subject.id}-r${randomUUID().slice(0, 8)}` };
		const { rows } = await pool.query(CARRY_QUOTA_SQL, [
			next.type,
			next.id,
			real.current.type,
			real.current.id,
			null,
		]);
		expect(rows).toEqual([{ carried: `${real.subject.type}:${real.subject.id}` }]);
		real.current = next;
		await checkInvariants(model, real);
	}
	toString = () => 'Rotate';
}

/**
 * The process dies inside a Reserve's or a Settle's transaction, before it commits: nothing of
 * it stays, no expiry it triggered and no charge. `pick` chooses the reservation to settle.
 */
class Crash implements fc.AsyncCommand<Model, Real> {
	constructor(
		readonly during: 'reserve' | 'settle',
		readonly amount: number,
		readonly pick: number,
	) {}
	check = (model: Readonly<Model>) => this.during === 'reserve' || model.held.size > 0;
	async run(model: Model, real: Real) {
		const client = new Client(postgres.connection('keypilot'));
		client.on('error', () => undefined);
		await client.connect();
		await client.query('BEGIN');
		const {
			rows: [{ pid }],
		} = await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
		if (this.during === 'reserve') {
			await reserveQuota(client, real.current, inQuotaUnit(String(this.amount)), randomUUID(), 600);
		} else {
			const ids = [...model.held.keys()];
			const id = ids[this.pick % ids.length];
			await settleQuota(client, real.owners.get(id)!, id, inQuotaUnit(String(this.amount)));
		}
		await pool.query('SELECT pg_terminate_backend($1)', [pid]);
		await client.end().catch(() => undefined);
		await checkInvariants(model, real);
	}
	toString = () => `Crash(${this.during}, ${this.amount}, #${this.pick})`;
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
	fc.constant(new Rotate()),
	fc.constant(new Reset()),
	fc
		.tuple(fc.constantFrom('reserve', 'settle'), fc.integer({ min: 1, max: 400 }), fc.nat())
		.map(([during, amount, pick]) => new Crash(during as 'reserve' | 'settle', amount, pick)),
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
					await fc.asyncModelRun(
						() => ({ model, real: { subject, current: subject, owners: new Map() } }),
						sequence,
					);
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

/**
 * Two layers: a token with its own quota inside a team with one, and a sibling token with no
 * quota of its own in the same team. A reservation holds on every layer of its token, and each
 * layer's row expires on its own, when a statement locks that layer.
 */
type Layer = 'token' | 'team';
type Owner = 'me' | 'sibling';
const LAYERS_OF: Record<Owner, Layer[]> = { me: ['token', 'team'], sibling: ['team'] };

interface LayeredHeld {
	owner: Owner;
	amount: number;
	lapsed: boolean;
	chargedOn: Set<Layer>;
}

interface LayeredModel {
	limit: Record<Layer, number>;
	used: Record<Layer, number>;
	held: Map<string, LayeredHeld>;
	ended: Map<string, Owner>;
	overReported: boolean;
}

interface LayeredReal {
	subjects: Record<Owner | 'team', QuotaSubject>;
}

const heldOn = (model: LayeredModel, layer: Layer) =>
	[...model.held.values()]
		.filter((r) => LAYERS_OF[r.owner].includes(layer) && !r.chargedOn.has(layer))
		.reduce((sum, r) => sum + r.amount, 0);

/** A statement that locks `layers` charges each lapsed reservation's row on them but `except`'s. */
function expireOn(model: LayeredModel, layers: Layer[], except?: string) {
	for (const [id, r] of model.held) {
		if (id === except || !r.lapsed) continue;
		for (const layer of LAYERS_OF[r.owner]) {
			if (!layers.includes(layer) || r.chargedOn.has(layer)) continue;
			r.chargedOn.add(layer);
			model.used[layer] += r.amount;
		}
	}
}

async function checkLayers(model: LayeredModel, real: LayeredReal) {
	steps++;
	const { rows } = await pool.query<{
		subject_type: string;
		used: string;
		reserved: string;
		held: string;
	}>(
		`SELECT q.subject_type, q.used::text, q.reserved::text,
		        (SELECT COALESCE(sum(amount), 0) FROM llm_quota_reservations r
		          WHERE r.quota_id = q.quota_id AND r.status = 'held')::text AS held
		   FROM llm_quotas q
		  WHERE (q.subject_type, q.subject_id) IN (($1, $2), ($3, $4)) ORDER BY q.subject_type`,
		[real.subjects.me.type, real.subjects.me.id, real.subjects.team.type, real.subjects.team.id],
	);
	const state = Object.fromEntries(
		rows.map((row) => [row.subject_type === 'team' ? 'team' : 'token', row]),
	);
	for (const layer of ['token', 'team'] as Layer[]) {
		expect({
			layer,
			used: state[layer].used,
			reserved: state[layer].reserved,
			held: state[layer].held,
		}).toEqual({
			layer,
			used: String(model.used[layer]),
			reserved: String(heldOn(model, layer)),
			held: String(heldOn(model, layer)),
		});
	}
	const [{ logged }] = (
		await pool.query<{ logged: string }>(
			`SELECT count(*)::text AS logged FROM llm_usage_log
			  WHERE api_flavor = 'unsettled_reservation' AND key_id IN ($1, $2)`,
			[real.subjects.me.id, real.subjects.sibling.id],
		)
	).rows;
	expect(Number(logged)).toBe([...model.held.values()].filter((r) => r.chargedOn.size).length);
}

class LayerLimit implements fc.AsyncCommand<LayeredModel, LayeredReal> {
	constructor(
		readonly layer: Layer,
		readonly limit: number,
	) {}
	check = () => true;
	async run(model: LayeredModel, real: LayeredReal) {
		await setQuota(pool, this.layer === 'team' ? real.subjects.team : real.subjects.me, {
			type: 'tokens',
			limit: String(this.limit),
			period: 'none',
			warningPercent: null,
		});
		model.limit[this.layer] = this.limit;
		await checkLayers(model, real);
	}
	toString = () => `Limit(${this.layer}, ${this.limit})`;
}

class LayeredReserve implements fc.AsyncCommand<LayeredModel, LayeredReal> {
	constructor(
		readonly owner: Owner,
		readonly amount: number,
		readonly lapsed: boolean,
	) {}
	check = () => true;
	async run(model: LayeredModel, real: LayeredReal) {
		const id = randomUUID();
		const row = await reserveQuota(
			pool,
			real.subjects[this.owner],
			inQuotaUnit(String(this.amount)),
			id,
			this.lapsed ? 0 : 600,
		);
		const layers = LAYERS_OF[this.owner];
		expireOn(model, layers);
		const fits = layers.every(
			(layer) =>
				model.limit[layer] === 0 ||
				model.used[layer] + heldOn(model, layer) + this.amount <= model.limit[layer],
		);
		expect({ allowed: row?.allowed }).toEqual({ allowed: fits });
		if (!fits) {
			// The refusal names a layer the request did not fit.
			const refused = row!.subject_type === 'team' ? 'team' : 'token';
			expect(model.used[refused] + heldOn(model, refused) + this.amount).toBeGreaterThan(
				model.limit[refused],
			);
		}
		if (fits) {
			model.held.set(id, {
				owner: this.owner,
				amount: this.amount,
				lapsed: this.lapsed,
				chargedOn: new Set(),
			});
			// What Reserve admits never takes any layer past its limit.
			for (const layer of layers) {
				if (model.limit[layer] > 0 && !model.overReported)
					expect(model.used[layer] + heldOn(model, layer)).toBeLessThanOrEqual(model.limit[layer]);
			}
		}
		await checkLayers(model, real);
	}
	toString = () => `Reserve(${this.owner}, ${this.amount}${this.lapsed ? ', lapsed' : ''})`;
}

class LayeredSettle implements fc.AsyncCommand<LayeredModel, LayeredReal> {
	constructor(
		readonly pick: number,
		readonly share: number,
	) {}
	check = (model: Readonly<LayeredModel>) => model.held.size + model.ended.size > 0;
	async run(model: LayeredModel, real: LayeredReal) {
		const ids = [...model.held.keys(), ...model.ended.keys()];
		const id = ids[this.pick % ids.length];
		const r = model.held.get(id);
		const owner = r?.owner ?? model.ended.get(id)!;
		const actual = r ? Math.floor((r.amount * this.share) / 100) : 7;
		const row = await settleQuota(pool, real.subjects[owner], id, inQuotaUnit(String(actual)));
		if (!r) {
			expect(row?.found ?? false).toBe(false);
			// An unknown reservation locks the subject's own layers: their lapsed rows are charged.
			expireOn(model, LAYERS_OF[owner], id);
		} else {
			expect(row?.found).toBe(true);
			expireOn(model, LAYERS_OF[owner], id);
			for (const layer of LAYERS_OF[owner]) {
				if (r.chargedOn.has(layer)) model.used[layer] -= r.amount;
				model.used[layer] += actual;
			}
			if (actual > r.amount) model.overReported = true;
			model.held.delete(id);
			model.ended.set(id, owner);
		}
		await checkLayers(model, real);
	}
	toString = () => `Settle(#${this.pick}, ${this.share}%)`;
}

class LayeredSweep implements fc.AsyncCommand<LayeredModel, LayeredReal> {
	check = () => true;
	async run(model: LayeredModel, real: LayeredReal) {
		await sweepExpired(pool);
		expireOn(model, ['token', 'team']);
		await checkLayers(model, real);
	}
	toString = () => 'Sweep';
}

const layeredCommands = [
	fc
		.tuple(fc.constantFrom<Layer>('token', 'team'), fc.integer({ min: 0, max: 1500 }))
		.map(([layer, limit]) => new LayerLimit(layer, limit)),
	fc
		.tuple(fc.constantFrom<Owner>('me', 'sibling'), fc.integer({ min: 1, max: 300 }), fc.boolean())
		.map(([owner, amount, lapsed]) => new LayeredReserve(owner, amount, lapsed)),
	fc
		.tuple(fc.nat(), fc.constantFrom(0, 30, 100, 100, 150))
		.map(([pick, share]) => new LayeredSettle(pick, share)),
	fc.constant(new LayeredSweep()),
];

describe('layered quotas against their model', () => {
	it('holds a token and its team exactly as the model says, each layer expiring on its own, step after step', async () => {
		const before = steps;
		await fc.assert(
			fc.asyncProperty(
				fc.commands(layeredCommands, { maxCommands: 50, size: 'max' }),
				async (sequence) => {
					const run = randomUUID();
					const subjects = {
						me: { type: 'key_id', id: `me-${run}` },
						sibling: { type: 'key_id', id: `sibling-${run}` },
						team: { type: 'team', id: `team-${run}` },
					};
					for (const [subject, limit] of [
						[subjects.me, '800'],
						[subjects.team, '1000'],
					] as const) {
						await setQuota(pool, subject, {
							type: 'tokens',
							limit,
							period: 'none',
							warningPercent: null,
						});
					}
					await setParent(pool, subjects.me, subjects.team);
					await setParent(pool, subjects.sibling, subjects.team);
					const model: LayeredModel = {
						limit: { token: 800, team: 1000 },
						used: { token: 0, team: 0 },
						held: new Map(),
						ended: new Map(),
						overReported: false,
					};
					await fc.asyncModelRun(() => ({ model, real: { subjects } }), sequence);
				},
			),
			{ numRuns: 300 },
		);
		process.stdout.write(`layered quota model: ${steps - before} steps checked in 300 sequences\n`);
	});
});
