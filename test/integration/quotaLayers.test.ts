import { randomUUID } from 'node:crypto';

import { Pool } from 'pg';

import {
	checkQuota,
	describeQuota,
	inQuotaUnit,
	MAX_LAYER_DEPTH,
	reserveQuota,
	rateRefusal,
	recordAlerts,
	setParent,
	setQuota,
	setRateLimit,
	settleQuota,
	sweepExpired,
	type QuotaPeriod,
	type QuotaSubject,
	type QuotaType,
} from '../../packages/ledger/core/quota';
import { renderReport } from '../../packages/ledger/core/usage/report';
import { readStats } from '../../packages/ledger/core/usage/store';
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
	pool.on('error', (error: Error & { code?: string }) => {
		if (error.code !== '57P01') throw error;
	});
});

afterAll(async () => {
	await pool?.end();
	await postgres.stop();
});

let counter = 0;
const named = (type: string, name: string): QuotaSubject => ({
	type,
	id: `${name}-${++counter}`,
});

async function quota(
	subject: QuotaSubject,
	type: QuotaType,
	limit: string,
	models = '',
	period: QuotaPeriod = 'monthly',
) {
	await setQuota(pool, subject, { type, limit, period, warningPercent: null, models });
}

/** used and reserved of every budget of a subject, by model pattern. */
async function stored(subject: QuotaSubject) {
	const rows = await postgres.query<{ models: string; used: string; reserved: string }>(
		'keypilot',
		`SELECT models, used::text AS used, reserved::text AS reserved FROM llm_quotas
		  WHERE subject_type = $1 AND subject_id = $2 AND kind = 'budget' ORDER BY models`,
		[subject.type, subject.id],
	);
	return Object.fromEntries(rows.map((row) => [row.models || '*', [row.used, row.reserved]]));
}

const ask = (tokens: string, usd: string | null, model: string | null = 'gpt-4o') => ({
	model,
	tokens,
	usd,
});

describe('layered quotas', () => {
	it('a request spends on its subject and every ancestor, each in its own unit, all or none; a refusal names the layer', async () => {
		const org = named('organization', 'acme');
		const team = named('team', 'eng');
		const alice = named('token_hash', 'alice');
		const bob = named('token_hash', 'bob');
		await quota(org, 'usd', '1.00');
		await quota(team, 'tokens', '1000');
		await quota(alice, 'tokens', '600');
		for (const token of [alice, bob]) await setParent(pool, token, team);
		await setParent(pool, team, org);

		const first = await reserveQuota(pool, alice, ask('400', '0.3'), randomUUID(), 300);
		expect(first?.allowed).toBe(true);
		expect(first?.layers.map((l) => [l.subject_id, l.depth, l.amount])).toEqual([
			[alice.id, 0, '400'],
			[team.id, 1, '400'],
			[org.id, 2, '0.3'],
		]);
		// Alice's own limit refuses; nothing is held anywhere for it.
		const second = await reserveQuota(pool, alice, ask('400', '0.3'), randomUUID(), 300);
		expect(second).toMatchObject({ allowed: false, subject_id: alice.id, reservation_id: null });
		// Bob has no quota of his own: the team's limit refuses him.
		const third = await reserveQuota(pool, bob, ask('700', '0.1'), randomUUID(), 300);
		expect(third).toMatchObject({ allowed: false, subject_type: 'team', subject_id: team.id });
		expect(describeQuota(third!).headers).toEqual({
			'X-Quota-Used': '400',
			'X-Quota-Limit': '1000',
			'X-Quota-Scope': `team:${team.id}`,
		});
		// The team has room, the organization's USD does not.
		const fourth = await reserveQuota(pool, bob, ask('500', '0.8'), randomUUID(), 300);
		expect(fourth).toMatchObject({ allowed: false, subject_type: 'organization' });
		expect(await stored(alice)).toEqual({ '*': ['0', '400'] });
		expect(await stored(team)).toEqual({ '*': ['0', '400'] });
		expect(await stored(org)).toEqual({ '*': ['0', '0.3'] });

		// Settled with the provider's count: tokens where tokens are counted, cost where USD is.
		const settled = await settleQuota(pool, alice, first!.reservation_id!, {
			tokens: '350',
			usd: '0.25',
		});
		expect(settled?.layers.map((l) => [l.subject_id, l.found, l.charged])).toEqual([
			[alice.id, true, '350'],
			[team.id, true, '350'],
			[org.id, true, '0.25'],
		]);
		expect(await stored(alice)).toEqual({ '*': ['350', '0'] });
		expect(await stored(team)).toEqual({ '*': ['350', '0'] });
		expect(await stored(org)).toEqual({ '*': ['0.25', '0'] });

		// Only the subject that made a reservation settles it.
		const held = await reserveQuota(pool, bob, ask('100', '0.1'), randomUUID(), 300);
		const foreign = await settleQuota(pool, alice, held!.reservation_id!, inQuotaUnit('0'));
		expect(foreign?.found).toBe(false);
		expect(await stored(team)).toEqual({ '*': ['350', '100'] });
		// A cost that is not known charges the USD layers what they held.
		await settleQuota(pool, bob, held!.reservation_id!, { tokens: '90', usd: null });
		expect(await stored(team)).toEqual({ '*': ['440', '0'] });
		expect(await stored(org)).toEqual({ '*': ['0.35', '0'] });
	});

	it('a model quota binds only requests for the models its pattern matches', async () => {
		const team = named('team', 'ml');
		const token = named('token_hash', 'carol');
		await quota(team, 'usd', '0', '');
		await quota(team, 'usd', '1', 'claude-opus-*');
		await quota(team, 'tokens', '100', 'gpt_4*');
		await setParent(pool, token, team);

		const opus = await reserveQuota(
			pool,
			token,
			ask('10', '0.6', 'claude-opus-4-1'),
			randomUUID(),
			300,
		);
		expect(opus?.layers.map((l) => l.models)).toEqual(['claude-opus-*', '']);
		const again = await reserveQuota(
			pool,
			token,
			ask('10', '0.6', 'claude-opus-4'),
			randomUUID(),
			300,
		);
		expect(again).toMatchObject({ allowed: false, models: 'claude-opus-*' });
		expect(describeQuota(again!).headers['X-Quota-Scope']).toBe(
			`team:${team.id}; models=claude-opus-*`,
		);
		const sonnet = await reserveQuota(
			pool,
			token,
			ask('10', '0.6', 'claude-sonnet-4-5'),
			randomUUID(),
			300,
		);
		expect(sonnet?.allowed).toBe(true);
		// '_' and '%' are themselves in a pattern, not SQL wildcards.
		const gpt = await reserveQuota(pool, token, ask('500', '0.1', 'gpt-4o'), randomUUID(), 300);
		expect(gpt?.layers.map((l) => l.models)).toEqual(['']);
		// A request that names no model meets only the quotas for all models.
		const none = await checkQuota(pool, token, ask('0', '0', null));
		expect(none?.layers.map((l) => l.models)).toEqual(['']);
	});

	it('an expired reservation is charged in full on every layer, by the sweep alone, and a late settle corrects each', async () => {
		const org = named('organization', 'sweep');
		const token = named('token_hash', 'dave');
		await quota(org, 'usd', '10');
		await quota(token, 'tokens', '1000');
		await setParent(pool, token, org);
		const held = await reserveQuota(pool, token, ask('300', '2.5'), randomUUID(), 300);
		await postgres.query(
			'keypilot',
			`UPDATE llm_quota_reservations SET expires_at = now() - interval '1 second' WHERE reservation_id = $1`,
			[held!.reservation_id],
		);
		const swept = await sweepExpired(pool);
		expect(swept.filter((s) => [org.id, token.id].includes(s.subject_id))).toHaveLength(2);
		expect(await stored(token)).toEqual({ '*': ['300', '0'] });
		expect(await stored(org)).toEqual({ '*': ['2.5', '0'] });
		const [unsettled] = await postgres.query<{ total_tokens: string; cost_usd: string }>(
			'keypilot',
			`SELECT total_tokens::text, trim_scale(cost_usd)::text AS cost_usd FROM llm_usage_log WHERE request_id = $1`,
			[`reservation:${held!.reservation_id}`],
		);
		expect(unsettled).toEqual({ total_tokens: '300', cost_usd: '2.5' });

		await settleQuota(pool, token, held!.reservation_id!, { tokens: '120', usd: '0.75' });
		expect(await stored(token)).toEqual({ '*': ['120', '0'] });
		expect(await stored(org)).toEqual({ '*': ['0.75', '0'] });
	});

	it("tells a team's warning and a model cap's exhaustion apart from the token's, once each per period", async () => {
		const team = named('team', 'alerted');
		const token = named('token_hash', 'alerted');
		await setQuota(pool, team, {
			type: 'usd',
			limit: '10',
			period: 'monthly',
			warningPercent: '80',
		});
		await setQuota(pool, team, {
			type: 'usd',
			limit: '2',
			period: 'monthly',
			warningPercent: null,
			models: 'o3*',
		});
		await quota(token, 'tokens', '0');
		await setParent(pool, token, team);
		const held = await reserveQuota(pool, token, ask('100', '2', 'o3-pro'), randomUUID(), 300);
		await settleQuota(pool, token, held!.reservation_id!, { tokens: '100', usd: '2' });
		await reserveQuota(pool, token, ask('100', '6.5', 'gpt-4o'), randomUUID(), 300);
		const mine = (alerts: Awaited<ReturnType<typeof recordAlerts>>) =>
			alerts.filter((a) => a.subject_id === team.id).map((a) => [a.models, a.kind, a.quota_used]);
		expect(mine(await recordAlerts(pool))).toEqual([
			['', 'warning', '8.5'],
			['o3*', 'exhausted', '2'],
		]);
		expect(mine(await recordAlerts(pool))).toEqual([]);
	});

	it('refuses a parent that is the subject itself or below it, and ancestry deeper than the statements follow', async () => {
		const chain = Array.from({ length: MAX_LAYER_DEPTH }, (_, i) => named('team', `level${i}`));
		for (let i = 1; i < chain.length; i++) {
			expect(await setParent(pool, chain[i - 1], chain[i])).toMatchObject({
				reason: null,
				changed: true,
			});
		}
		expect((await setParent(pool, chain[3], chain[0])).reason).toBe('cycle');
		expect((await setParent(pool, chain[0], chain[0])).reason).toBe('cycle');
		expect((await setParent(pool, named('team', 'below'), chain[0])).reason).toBe('depth');
		expect((await setParent(pool, chain[0], null)).changed).toBe(true);
		const [{ count }] = await postgres.query<{ count: string }>(
			'keypilot',
			`SELECT count(*)::text AS count FROM llm_quota_parents WHERE subject_id = $1`,
			[chain[0].id],
		);
		expect(count).toBe('0');
	});

	it('a USD amount that is not known never fits a USD budget, even an unlimited one', async () => {
		const subject = named('token_hash', 'unpriced');
		await quota(subject, 'usd', '0');
		const alone = await reserveQuota(pool, subject, ask('10', null), randomUUID(), 300);
		expect(alone).toMatchObject({ allowed: false });
		await setParent(pool, subject, named('team', 'unpriced'));
		const layered = await reserveQuota(pool, subject, ask('10', null), randomUUID(), 300);
		expect(layered).toMatchObject({ allowed: false });
		expect(await stored(subject)).toEqual({ '*': ['0', '0'] });
	});

	it('an amount of one unspecified unit is refused on layers in both units', async () => {
		const team = named('team', 'mixed');
		const token = named('key_id', 'erin');
		await quota(team, 'usd', '5');
		await quota(token, 'tokens', '500');
		await setParent(pool, token, team);
		const row = await reserveQuota(pool, token, inQuotaUnit('10'), randomUUID(), 300);
		expect(row).toMatchObject({ allowed: false, mixed_units: true });
		expect(await stored(team)).toEqual({ '*': ['0', '0'] });
	});
});

describe('rate and concurrency limits', () => {
	it('a burst of 100 requests on a 10 requests per minute token admits 10 and tells the others when to retry', async () => {
		const token = named('token_hash', 'burst');
		await setRateLimit(pool, token, { kind: 'requests_per_minute', limit: '10' });
		const results = await Promise.all(
			Array.from({ length: 100 }, () =>
				reserveQuota(pool, token, ask('100', '0.01'), randomUUID(), 300),
			),
		);
		expect(results.filter((r) => r?.allowed)).toHaveLength(10);
		const refused = results.filter((r) => !r?.allowed);
		for (const r of refused) {
			expect(r).toMatchObject({ kind: 'requests_per_minute', fits: false });
			// GCRA: one request's share of the minute (6 s) after the tenth.
			expect(Number(r!.retry_after_ms)).toBeGreaterThan(0);
			expect(Number(r!.retry_after_ms)).toBeLessThanOrEqual(6000);
		}
		expect(rateRefusal(refused[0]!).message).toMatch(
			/^Rate limit reached on token_hash:burst-\d+; limit=requests_per_minute: 10 requests per minute\. Retry after [1-6] s$/,
		);
		// Six seconds later exactly one more fits.
		await postgres.query(
			'keypilot',
			`UPDATE llm_quotas SET tat = tat - interval '6 seconds' WHERE subject_id = $1`,
			[token.id],
		);
		const later = await Promise.all(
			Array.from({ length: 5 }, () => reserveQuota(pool, token, ask('1', '0'), randomUUID(), 300)),
		);
		expect(later.filter((r) => r?.allowed)).toHaveLength(1);
	});

	it('tokens per minute are held on the bound and given back at settle; a request larger than the limit never fits', async () => {
		const team = named('team', 'tpm');
		const token = named('token_hash', 'tpm');
		await setParent(pool, token, team);
		await setRateLimit(pool, team, { kind: 'tokens_per_minute', limit: '1000' });
		const started = Date.now();
		const first = await reserveQuota(pool, token, ask('600', '0.1'), randomUUID(), 300);
		expect(first?.allowed).toBe(true);
		const second = await reserveQuota(pool, token, ask('600', '0.1'), randomUUID(), 300);
		const between = Date.now() - started;
		expect(second).toMatchObject({
			allowed: false,
			subject_type: 'team',
			kind: 'tokens_per_minute',
		});
		// 200 tokens over the minute's 1000: 12 s until they fit, less the time between the two.
		expect(Number(second!.retry_after_ms)).toBeGreaterThanOrEqual(12000 - between - 1);
		expect(Number(second!.retry_after_ms)).toBeLessThanOrEqual(12000);
		await settleQuota(pool, token, first!.reservation_id!, { tokens: '100', usd: '0.01' });
		const third = await reserveQuota(pool, token, ask('600', '0.1'), randomUUID(), 300);
		expect(third?.allowed).toBe(true);
		const huge = await reserveQuota(pool, token, ask('1500', '0.1'), randomUUID(), 300);
		expect(huge).toMatchObject({ allowed: false, retry_after_ms: null });
		expect(rateRefusal(huge!).retryAfterSeconds).toBeNull();
	});

	it('a concurrency limit of 3 with 20 slow requests at once never has more than 3 in flight, and an expired one frees its slot', async () => {
		const token = named('token_hash', 'slots');
		await setRateLimit(pool, token, { kind: 'concurrent', limit: '3' });
		await quota(token, 'tokens', '0');
		let inFlight = 0;
		let most = 0;
		let refusals = 0;
		await Promise.all(
			Array.from({ length: 20 }, async () => {
				for (;;) {
					const held = await reserveQuota(pool, token, ask('10', '0'), randomUUID(), 300);
					if (!held?.allowed) {
						refusals++;
						await new Promise((resolve) => setTimeout(resolve, 5));
						continue;
					}
					most = Math.max(most, ++inFlight);
					await new Promise((resolve) => setTimeout(resolve, 40));
					inFlight--;
					await settleQuota(pool, token, held.reservation_id!, { tokens: '10', usd: null });
					return;
				}
			}),
		);
		expect(most).toBe(3);
		expect(refusals).toBeGreaterThan(0);
		expect(await stored(token)).toEqual({ '*': ['200', '0'] });

		const slots = await Promise.all(
			Array.from({ length: 3 }, () => reserveQuota(pool, token, ask('1', '0'), randomUUID(), 300)),
		);
		expect(slots.every((r) => r?.allowed)).toBe(true);
		expect((await reserveQuota(pool, token, ask('1', '0'), randomUUID(), 300))?.allowed).toBe(
			false,
		);
		await postgres.query(
			'keypilot',
			`UPDATE llm_quota_reservations SET expires_at = now() - interval '1 second' WHERE reservation_id = $1`,
			[slots[0]!.reservation_id],
		);
		expect((await reserveQuota(pool, token, ask('1', '0'), randomUUID(), 300))?.allowed).toBe(true);
		// The expired request's budget is charged in full; its slot is not held any more.
		const [row] = await postgres.query<{ used: string; reserved: string }>(
			'keypilot',
			`SELECT used::text, reserved::text FROM llm_quotas WHERE subject_id = $1 AND kind = 'concurrent'`,
			[token.id],
		);
		expect(row).toEqual({ used: '0', reserved: '3' });
	});

	it('Get lists budgets and rate limits of every layer; a limit of 0 removes a rate limit', async () => {
		const team = named('team', 'listed');
		const token = named('token_hash', 'listed');
		await setParent(pool, token, team);
		await quota(team, 'usd', '100');
		await setRateLimit(pool, team, { kind: 'requests_per_minute', limit: '60' });
		await setRateLimit(pool, token, { kind: 'concurrent', limit: '2' });
		const layers = await checkQuota(pool, token, ask('0', '0'));
		expect(layers?.layers.map((l) => [l.subject_type, l.kind])).toEqual([
			['token_hash', 'concurrent'],
			['team', 'budget'],
			['team', 'requests_per_minute'],
		]);
		await setRateLimit(pool, token, { kind: 'concurrent', limit: '0' });
		const after = await checkQuota(pool, token, ask('0', '0'));
		expect(after?.layers.map((l) => l.kind)).toEqual(['budget', 'requests_per_minute']);
	});
});

describe('spend by layer', () => {
	it('Get Stats and the report count each request once in every layer above its key or token, a rotated key with the old one', async () => {
		const org = named('organization', 'spend');
		const [red, blue] = [named('team', 'red'), named('team', 'blue')];
		const [a, b, c] = ['spend-a', 'spend-b', 'spend-c'].map((id) => named('token_hash', id));
		const rotated = named('key_hash', 'rotated');
		await setParent(pool, red, org);
		await setParent(pool, blue, org);
		await setParent(pool, a, red);
		await setParent(pool, b, red);
		await setParent(pool, c, blue);
		await postgres.query(
			'keypilot',
			`INSERT INTO llm_quota_aliases (subject_type, subject_id, target_type, target_id)
			 VALUES ('key_hash', $1, 'token_hash', $2)`,
			[rotated.id, c.id],
		);
		await postgres.query(
			'keypilot',
			`INSERT INTO llm_usage_log (logged_at, provider, request_id, key_hash, total_tokens, cost_usd)
			 VALUES ('2026-11-02T10:00Z', 'openai', $5, $1, 100, 0.1),
			        ('2026-11-02T11:00Z', 'openai', $6, $1, 50, 0.000001),
			        ('2026-11-02T12:00Z', 'openai', $7, $2, 10, 0.2),
			        ('2026-11-02T13:00Z', 'anthropic', $8, $3, 1, 1),
			        ('2026-11-02T14:00Z', 'anthropic', $9, $4, 2, 2)`,
			[a.id, b.id, c.id, rotated.id, ...Array.from({ length: 5 }, () => randomUUID())],
		);
		const rows = (await readStats(pool, 'layers', {
			start: new Date('2026-11-02T00:00Z'),
			end: new Date('2026-11-03T00:00Z'),
		})) as Array<Record<string, unknown>>;
		const mine = rows.filter((r) => [org.id, red.id, blue.id].includes(String(r.layer_id)));
		expect(mine).toEqual([
			{
				layer_type: 'organization',
				layer_id: org.id,
				calls: '5',
				errors: '0',
				total_tokens: '163',
				cost_usd: '3.300001',
			},
			{
				layer_type: 'team',
				layer_id: blue.id,
				calls: '2',
				errors: '0',
				total_tokens: '3',
				cost_usd: '3',
			},
			{
				layer_type: 'team',
				layer_id: red.id,
				calls: '3',
				errors: '0',
				total_tokens: '160',
				cost_usd: '0.300001',
			},
		]);
		const report = {
			start: new Date('2026-11-02T00:00Z'),
			end: new Date('2026-11-03T00:00Z'),
			overview: {},
			daily: [],
			drift: [],
			topKeys: [],
			layers: mine as never,
		};
		expect(renderReport(report, 'csv').body).toContain(`layer,,team:${red.id},3,,160,0.300001,,`);
		expect(renderReport(report, 'html').body).toContain(
			`<tr><td>organization</td><td>${org.id}</td><td>5</td><td>163</td><td>3.300001</td></tr>`,
		);
	});
});

interface Reserved {
	subject: QuotaSubject;
	amount: string;
	allowed: boolean;
	reservationId: string | null;
	refusedBy: {
		type: string;
		scope: string;
		limit: string;
		used: string;
		reserved: string;
		fits: boolean;
	} | null;
}

describe('layered quotas under concurrency', () => {
	it('200 requests at once from 20 tokens in 4 teams in 1 organization, from two processes: no layer over its limit, every refusal names a layer it did not fit', async () => {
		const org = named('organization', 'load');
		const teams = Array.from({ length: 4 }, (_, i) => named('team', `load${i}`));
		const tokens = Array.from({ length: 20 }, (_, i) => named('token_hash', `load${i}`));
		// Team 0's tokens are tight themselves; team 1 is tight as a team; teams 2 and 3 are held
		// only by the organization. So each kind of layer binds somewhere.
		await quota(org, 'tokens', '9000');
		await quota(teams[0], 'tokens', '0');
		await quota(teams[1], 'tokens', '2000');
		await quota(teams[2], 'tokens', '0');
		await quota(teams[3], 'tokens', '0');
		for (const [i, token] of tokens.entries()) {
			await quota(token, 'tokens', i < 5 ? '300' : '0');
			await setParent(pool, token, teams[Math.floor(i / 5)]);
		}
		for (const team of teams) await setParent(pool, team, org);

		const requests = Array.from({ length: 200 }, (_, n) => ({
			subject: tokens[n % 20],
			amount: String(50 + ((n * 37) % 151)),
			model: 'gpt-4o',
		}));
		const startAt = Date.now() + 700;
		const base = { connection: postgres.connection('keypilot'), startAt, connections: 40 };
		const results = (
			await Promise.all([
				runQuotaWorker<Reserved>({ ...base, requests: requests.slice(0, 100) }),
				runQuotaWorker<Reserved>({ ...base, requests: requests.slice(100) }),
			])
		).flat();

		const limits = new Map<string, bigint>([
			[org.id, 9000n],
			[teams[1].id, 2000n],
		]);
		for (const [i, token] of tokens.entries()) if (i < 5) limits.set(token.id, 300n);
		const rows = await postgres.query<{ subject_id: string; reserved: string; held: string }>(
			'keypilot',
			`SELECT q.subject_id, q.reserved::text AS reserved,
			        (SELECT COALESCE(sum(r.amount), 0) FROM llm_quota_reservations r
			          WHERE r.quota_id = q.quota_id AND r.status = 'held')::text AS held
			   FROM llm_quotas q WHERE q.subject_id LIKE '%load%'`,
		);
		expect(rows).toHaveLength(25);
		for (const row of rows) {
			expect(row.reserved).toBe(row.held);
			const limit = limits.get(row.subject_id);
			if (limit !== undefined) expect(BigInt(row.reserved)).toBeLessThanOrEqual(limit);
		}
		// What each token holds is what it was allowed, and every team and the organization
		// hold the sum of their tokens'.
		const allowed = (ids: string[]) =>
			results
				.filter((r) => r.allowed && ids.includes(r.subject.id))
				.reduce((sum, r) => sum + BigInt(r.amount), 0n);
		const reservedOf = (id: string) => BigInt(rows.find((r) => r.subject_id === id)!.reserved);
		for (const token of tokens) expect(reservedOf(token.id)).toBe(allowed([token.id]));
		for (const [t, team] of teams.entries()) {
			expect(reservedOf(team.id)).toBe(allowed(tokens.slice(t * 5, t * 5 + 5).map((x) => x.id)));
		}
		expect(reservedOf(org.id)).toBe(allowed(tokens.map((x) => x.id)));

		const refused = results.filter((r) => !r.allowed);
		for (const r of refused) {
			const by = r.refusedBy!;
			expect(by.fits).toBe(false);
			expect(BigInt(by.used) + BigInt(by.reserved) + BigInt(r.amount)).toBeGreaterThan(
				BigInt(by.limit),
			);
		}
		// Each kind of layer refused some request: the token's own, team 1's, the organization's.
		const binding = new Set(refused.map((r) => r.refusedBy!.type));
		expect([...binding].sort()).toEqual(['organization', 'team', 'token_hash']);
	});
});
