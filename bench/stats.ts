/**
 * Get Stats on a big log: 1,000,000 usage rows over 30 days, stats asked for one day (overview,
 * top keys, hourly), timed through the same statements the Usage Logger sends. The baseline is
 * the same statement on a table that holds only that day's rows (about 33,000), which is what
 * the query would cost if the time filter did all the work. Target: at most 2x the baseline.
 */
import { performance } from 'node:perf_hooks';

import { Pool } from 'pg';

import { readStats, type StatsKind } from '../packages/ledger/core/usage/store';
import { TestPostgres } from '../test/helpers/postgres';

const ROWS = Number(process.env.BENCH_STATS_ROWS ?? 1_000_000);
const DAYS = 30;
const REPEAT = 7;
const FIRST_DAY = Date.UTC(2026, 9, 27);
const ASKED_DAY = {
	start: new Date(FIRST_DAY + 15 * 86_400_000),
	end: new Date(FIRST_DAY + 16 * 86_400_000),
};

/** Rows spread evenly over the 30 days, 200 keys, 5 routes, exact costs. */
const FILL_SQL = `
INSERT INTO llm_usage_log (provider, api_flavor, model, request_id, key_hash, key_name, route, status_code,
                           response_ms, input_tokens, output_tokens, total_tokens, usage_complete, streamed,
                           cost_usd, price_source, logged_at)
SELECT 'openai', 'openai_chat', 'gpt-4o-mini', 'bench-' || n, 'key' || (n % 200), 'key ' || (n % 200),
       '/v1/route' || (n % 5), CASE WHEN n % 50 = 0 THEN 500 ELSE 200 END, 100 + n % 900,
       1000 + n % 500, 200 + n % 100, 1200 + n % 500 + n % 100, true, false,
       ((1000 + n % 500) * 0.00000015 + (200 + n % 100) * 0.0000006)::numeric, 'bench',
       to_timestamp($1::double precision / 1000) + (n::double precision / $2) * interval '30 days'
  FROM generate_series(0, $2 - 1) AS n`;

function median(values: number[]): number {
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.floor(sorted.length / 2)];
}

async function time(pool: Pool, kind: StatsKind): Promise<number> {
	const runs: number[] = [];
	const extra = kind === 'topKeys' ? 10 : undefined;
	for (let i = 0; i < REPEAT; i++) {
		const started = performance.now();
		await readStats(pool, kind, ASKED_DAY, extra);
		runs.push(performance.now() - started);
	}
	return median(runs);
}

async function main() {
	const postgres = new TestPostgres();
	await postgres.start();
	try {
		for (const database of ['big', 'day']) {
			await postgres.createDatabase(database);
			await postgres.setUpLedger(database);
		}
		let started = performance.now();
		await postgres.query('big', FILL_SQL, [FIRST_DAY, ROWS]);
		await postgres.query('big', 'ANALYZE llm_usage_log');
		console.log(
			`filled ${ROWS.toLocaleString('en')} rows over ${DAYS} days in ${((performance.now() - started) / 1000).toFixed(1)} s`,
		);
		started = performance.now();
		// The baseline table: the asked day's rows only, same schema and indexes.
		const dayRows = await postgres.query<Record<string, unknown>>(
			'big',
			`SELECT count(*)::int AS n FROM llm_usage_log WHERE logged_at >= $1 AND logged_at < $2`,
			[ASKED_DAY.start.toISOString(), ASKED_DAY.end.toISOString()],
		);
		const dayCount = Number(dayRows[0].n);
		const first = Math.round(
			((ASKED_DAY.start.getTime() - FIRST_DAY) / (DAYS * 86_400_000)) * ROWS,
		);
		await postgres.query(
			'day',
			FILL_SQL.replace(
				'FROM generate_series(0, $2 - 1) AS n',
				'FROM generate_series($3::int, $3::int + $4::int - 1) AS n',
			),
			[FIRST_DAY, ROWS, first, dayCount],
		);
		await postgres.query('day', 'ANALYZE llm_usage_log');
		const [{ n: baselineCount }] = await postgres.query<{ n: number }>(
			'day',
			'SELECT count(*)::int AS n FROM llm_usage_log',
		);
		console.log(
			`baseline table: ${baselineCount.toLocaleString('en')} rows of the asked day (${((performance.now() - started) / 1000).toFixed(1)} s)`,
		);

		const big = new Pool(postgres.connection('big'));
		const day = new Pool(postgres.connection('day'));
		// A connection still closing when the benchmark stops its PostgreSQL reports the shutdown
		// on its pool: expected here, and fatal to the run without a listener.
		for (const pool of [big, day]) pool.on('error', () => undefined);
		try {
			// Both tables must give the asked day the same figures, or the comparison means nothing.
			const [fromBig] = await readStats(big, 'overview', ASKED_DAY);
			const [fromDay] = await readStats(day, 'overview', ASKED_DAY);
			if (JSON.stringify(fromBig) !== JSON.stringify(fromDay))
				throw new Error(
					`the two tables disagree on the asked day: ${JSON.stringify(fromBig)} vs ${JSON.stringify(fromDay)}`,
				);
			const plan = await big.query(
				`EXPLAIN (FORMAT JSON) SELECT count(*) FROM llm_usage_log WHERE logged_at >= $1 AND logged_at < $2`,
				[ASKED_DAY.start.toISOString(), ASKED_DAY.end.toISOString()],
			);
			console.log(
				`plan on the big table: ${JSON.stringify(plan.rows[0])
					.match(/"Node Type":"[^"]+"/g)
					?.join(', ')}`,
			);
			for (const kind of ['overview', 'topKeys', 'hourly'] as StatsKind[]) {
				await time(big, kind);
				await time(day, kind);
				const ours = await time(big, kind);
				const baseline = await time(day, kind);
				console.log(
					`${kind.padEnd(9)} 30-day log ${ours.toFixed(1)} ms, one-day table ${baseline.toFixed(1)} ms: ${(ours / baseline).toFixed(2)}x (target at most 2x)`,
				);
			}
		} finally {
			await big.end();
			await day.end();
		}
	} finally {
		await postgres.stop();
	}
}

main().catch((error) => {
	console.error(error);
	process.exit(1);
});
