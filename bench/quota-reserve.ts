/**
 * Reservations per second and latency through the Quota Check node's code path (its `execute`,
 * one item per execution, credentials, pool, statement, output routing) against the least any
 * implementation needs: one conditional UPDATE of the quota row plus the reservation INSERT, in
 * one statement, sent with `pg` from the same process, on the same PostgreSQL, same concurrency,
 * interleaved rounds. Our statement does more (period roll-over, expiry, charging unsettled
 * reservations, the state it returns). Targets: the node at least 0.8x the minimal statement,
 * and at least 0.7x on one hot key, where every request waits for the same row lock.
 */
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';

import { Pool } from 'pg';

import { QuotaCheck } from '../packages/ledger/nodes/QuotaCheck/QuotaCheck.node';
import { closePools } from '../packages/ledger/nodes/postgres/pool';
import { inQuotaUnit, reserveQuota, setParent, setQuota } from '../packages/ledger/core/quota';
import { createExecuteContext } from '../test/helpers/executeContext';
import { TestPostgres } from '../test/helpers/postgres';
import { POSTGRES_CREDENTIAL } from '../test/helpers/postgresNode';

/** The minimal reservation: hold the amount if it fits, and record the reservation. */
const MINIMAL_RESERVE_SQL = `
WITH held AS (
	UPDATE llm_quotas SET reserved = reserved + $3::numeric
	 WHERE subject_type = $1 AND subject_id = $2 AND models = ''
	   AND (limit_amount = 0 OR used + reserved + $3::numeric <= limit_amount)
	RETURNING quota_id, subject_type, subject_id
)
INSERT INTO llm_quota_reservations
       (reservation_id, quota_id, subject_type, subject_id, origin_type, origin_id, amount, expires_at)
SELECT $4::uuid, quota_id, subject_type, subject_id, subject_type, subject_id, $3::numeric,
       now() + make_interval(secs => $5::double precision)
  FROM held
RETURNING reservation_id`;

const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8);
const PER_ROUND = Number(process.env.BENCH_RESERVATIONS ?? 4000);
const ROUNDS = 3;
const SUBJECTS = 32;

async function measure(
	reserve: (n: number) => Promise<void>,
): Promise<{ perSecond: number; latencies: number[] }> {
	const latencies: number[] = [];
	let next = 0;
	const started = performance.now();
	await Promise.all(
		Array.from({ length: CONCURRENCY }, async () => {
			while (next < PER_ROUND) {
				const n = next++;
				const t = performance.now();
				await reserve(n);
				latencies.push(performance.now() - t);
			}
		}),
	);
	return { perSecond: PER_ROUND / ((performance.now() - started) / 1000), latencies };
}

function percentile(values: number[], p: number): number {
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function main(): Promise<void> {
	const postgres = new TestPostgres();
	await postgres.start();
	try {
		await postgres.createDatabase('keypilot');
		await postgres.setUpLedger('keypilot');
		// Unlimited quotas spread over several keys: the figures are the statement's cost, not a
		// queue on one row's lock (which both paths would wait on alike).
		for (let s = 0; s < SUBJECTS; s++) {
			await postgres.query(
				'keypilot',
				`INSERT INTO llm_quotas (subject_type, subject_id, quota_type, limit_amount) VALUES ('key_id', $1, 'tokens', 0)`,
				[`bench-${s}`],
			);
		}
		const connection = postgres.connection('keypilot');
		const bare = new Pool({ ...connection, max: 10 });
		bare.on('error', () => undefined);
		const node = new QuotaCheck();
		const credentials = { ...connection, ssl: 'disable', maxConnections: 10 };

		const viaNode = (subjectOf: (n: number) => string) => async (n: number) => {
			const context = createExecuteContext({
				nodeType: node,
				credentialType: POSTGRES_CREDENTIAL,
				credentials,
				parameters: {
					operation: 'reserve',
					subjectType: 'key_id',
					subject: subjectOf(n),
					amount: '100',
					expiresIn: 300,
				},
			});
			const [allowed] = await node.execute.call(context);
			if (allowed.length !== 1) throw new Error('reservation refused');
		};
		const viaMinimalSql = (subjectOf: (n: number) => string) => async (n: number) => {
			const { rows } = await bare.query(MINIMAL_RESERVE_SQL, [
				'key_id',
				subjectOf(n),
				'100',
				randomUUID(),
				300,
			]);
			if (rows.length !== 1) throw new Error('reservation refused');
		};
		const summary = (runs: Array<{ perSecond: number; latencies: number[] }>) => {
			const rates = runs.map((r) => r.perSecond).sort((a, b) => a - b);
			const latencies = runs.flatMap((r) => r.latencies);
			return {
				rate: rates[Math.floor(rates.length / 2)],
				p50: percentile(latencies, 50),
				p99: percentile(latencies, 99),
			};
		};
		const line = (name: string, s: ReturnType<typeof summary>) =>
			`${name.padEnd(34)} ${Math.round(s.rate).toLocaleString('en').padStart(7)}/s   p50 ${s.p50.toFixed(2)} ms   p99 ${s.p99.toFixed(2)} ms`;
		const compare = async (label: string, subjectOf: (n: number) => string) => {
			await measure(viaNode(subjectOf));
			await measure(viaMinimalSql(subjectOf));
			const results = {
				node: [] as Array<{ perSecond: number; latencies: number[] }>,
				bare: [] as Array<{ perSecond: number; latencies: number[] }>,
			};
			for (let round = 0; round < ROUNDS; round++) {
				results.node.push(await measure(viaNode(subjectOf)));
				results.bare.push(await measure(viaMinimalSql(subjectOf)));
			}
			const n = summary(results.node);
			const b = summary(results.bare);
			console.log(`\n${label}`);
			console.log(line('Quota Check node (execute)', n));
			console.log(line('minimal UPDATE + INSERT with pg', b));
			return n.rate / b.rate;
		};

		console.log(
			`Quota reserve, ${PER_ROUND} reservations x ${ROUNDS} rounds, concurrency ${CONCURRENCY}, PostgreSQL 18 (embedded), median round`,
		);
		const spread = await compare(`${SUBJECTS} keys`, (n) => `bench-${n % SUBJECTS}`);
		console.log(`ratio ${spread.toFixed(2)}x (target: at least 0.80x)`);
		const hot = await compare(
			'one hot key (every request waits for the same row lock)',
			() => 'bench-0',
		);
		console.log(`hot-key ratio ${hot.toFixed(2)}x (target: at least 0.70x)`);

		const layers = await compareLayers(postgres, bare, summary, line);
		process.exitCode = spread >= 0.8 && hot >= 0.7 && layers ? 0 : 1;
		await bare.end();
		await closePools();
	} finally {
		await postgres.stop();
	}
}

/**
 * Layered budgets: a Reserve on a token inside a team inside an organization (three rows locked
 * and held in one statement) against a Reserve on a token with one quota, and against the
 * minimal conditional UPDATE, through the quota core with `pg`. Then the case where every
 * request belongs to one organization, whose row every Reserve locks. Targets: three layers at
 * least 0.5x one layer; one organization at least 1,000 reserves/s.
 */
async function compareLayers(
	postgres: TestPostgres,
	bare: Pool,
	summary: (runs: Array<{ perSecond: number; latencies: number[] }>) => {
		rate: number;
		p50: number;
		p99: number;
	},
	line: (name: string, s: { rate: number; p50: number; p99: number }) => string,
): Promise<boolean> {
	const limit = '1000000000000000';
	const quota = async (type: string, id: string) =>
		await setQuota(
			bare,
			{ type, id },
			{ type: 'tokens', limit, period: 'monthly', warningPercent: null },
		);
	for (let s = 0; s < SUBJECTS; s++) {
		await quota('token_hash', `one-${s}`);
		// Three layers of its own: no row shared with another token.
		await quota('token_hash', `three-${s}`);
		await quota('team', `three-${s}`);
		await quota('organization', `three-${s}`);
		await setParent(
			bare,
			{ type: 'token_hash', id: `three-${s}` },
			{ type: 'team', id: `three-${s}` },
		);
		await setParent(
			bare,
			{ type: 'team', id: `three-${s}` },
			{ type: 'organization', id: `three-${s}` },
		);
		// Four teams in one organization.
		await quota('token_hash', `org-${s}`);
		await setParent(
			bare,
			{ type: 'token_hash', id: `org-${s}` },
			{ type: 'team', id: `org-${s % 4}` },
		);
	}
	for (let t = 0; t < 4; t++) {
		await quota('team', `org-${t}`);
		await setParent(bare, { type: 'team', id: `org-${t}` }, { type: 'organization', id: 'one' });
	}
	await quota('organization', 'one');
	await postgres.query(
		'keypilot',
		`UPDATE llm_quotas SET limit_amount = 0 WHERE subject_id LIKE 'bench-%'`,
	);

	const viaCore = (prefix: string) => async (n: number) => {
		const subject = { type: 'token_hash', id: `${prefix}-${n % SUBJECTS}` };
		const row = await reserveQuota(bare, subject, inQuotaUnit('100'), randomUUID(), 300);
		if (row?.allowed !== true) throw new Error('reservation refused');
	};
	const viaMinimal = async (n: number) => {
		const { rows } = await bare.query(MINIMAL_RESERVE_SQL, [
			'token_hash',
			`one-${n % SUBJECTS}`,
			'100',
			randomUUID(),
			300,
		]);
		if (rows.length !== 1) throw new Error('reservation refused');
	};
	const paths = {
		one: viaCore('one'),
		three: viaCore('three'),
		org: viaCore('org'),
		minimal: viaMinimal,
	};
	const runs = Object.fromEntries(
		Object.keys(paths).map((k) => [k, [] as Array<{ perSecond: number; latencies: number[] }>]),
	);
	for (const reserve of Object.values(paths)) await measure(reserve);
	for (let round = 0; round < ROUNDS; round++) {
		for (const [name, reserve] of Object.entries(paths)) runs[name].push(await measure(reserve));
	}
	const [one, three, org, minimal] = ['one', 'three', 'org', 'minimal'].map((k) =>
		summary(runs[k]),
	);
	console.log(`\nlayered budgets, ${SUBJECTS} tokens (quota core with pg)`);
	console.log(line('one layer (token)', one));
	console.log(line('three layers (token, team, org)', three));
	console.log(line('three layers, one organization', org));
	console.log(line('minimal UPDATE + INSERT with pg', minimal));
	const ratio = three.rate / one.rate;
	console.log(`three layers / one layer ${ratio.toFixed(2)}x (target: at least 0.50x)`);
	console.log(`one layer / minimal UPDATE ${(one.rate / minimal.rate).toFixed(2)}x`);
	console.log(
		`one organization: ${Math.round(org.rate).toLocaleString('en')} reserves/s (target: at least 1,000/s)`,
	);
	return ratio >= 0.5 && org.rate >= 1000;
}

void main().then(() => process.exit());
