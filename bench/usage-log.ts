/**
 * Usage Logger benchmarks, each figure against a baseline measured in the same run:
 * 1. Logging N requests (100,000 by default) through the node's write path (its `execute`:
 *    extraction, pricing, one transaction of multi-row statements) against the same rows written
 *    by a plain pg multi-row INSERT, and by one INSERT per row. Requests/s and peak memory (RSS)
 *    of each, every path in a fresh process. Target: the node at least 0.7x the plain INSERT.
 * 2. Usage extraction from a 50 MB SSE stream against JSON.parse of the same events as one JSON
 *    document.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

import { Client } from 'pg';

import { extractUsage } from '../packages/ledger/core/usage/extract';
import { UsageLogger } from '../packages/ledger/nodes/UsageLogger/UsageLogger.node';
import * as fixtures from '../test/fixtures/usage';
import { createExecuteContext } from '../test/helpers/executeContext';
import { TestPostgres } from '../test/helpers/postgres';
import { POSTGRES_CREDENTIAL } from '../test/helpers/postgresNode';

const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 100_000);
const SSE_MB = Number(process.env.BENCH_SSE_MB ?? 50);
const REPO_ROOT = join(__dirname, '..', '..', '..');

type Connection = ReturnType<TestPostgres['connection']>;

function response(n: number) {
	return { ...fixtures.openAiChat, id: `chatcmpl-bench-${n}` };
}

const DETAILS = {
	route: '/v1/chat/completions',
	httpMethod: 'POST',
	statusCode: 200,
	responseMs: 230,
	keyId: 'key_bench',
};

/** The rows the node writes for the benchmark's requests, as plain column values. */
async function nodeRows(connection: Connection): Promise<unknown[][]> {
	const client = new Client(connection);
	await client.connect();
	const { rows } = await client.query({
		text: 'SELECT * FROM llm_usage_log ORDER BY id',
		rowMode: 'array',
	});
	await client.end();
	return rows.map((row: unknown[]) => row.slice(1));
}

async function child(mode: string, connection: Connection): Promise<void> {
	const started = performance.now();
	if (mode === 'node') {
		const node = new UsageLogger();
		const parameters = Array.from({ length: REQUESTS }, (_, n) => ({
			operation: 'log',
			inputMode: 'response',
			response: response(n),
			details: DETAILS,
		}));
		const context = createExecuteContext({
			nodeType: node,
			credentialType: POSTGRES_CREDENTIAL,
			credentials: { ...connection, ssl: 'disable' },
			parameters,
			items: parameters.map(() => ({ json: {} })),
		});
		const [output] = await node.execute.call(context);
		if (output.length !== REQUESTS) throw new Error('not every request was logged');
	} else {
		const rows = JSON.parse(readFileSync(process.env.BENCH_ROWS_FILE!, 'utf8')) as unknown[][];
		const client = new Client(connection);
		await client.connect();
		const columns = (
			await client.query(
				`SELECT string_agg(column_name, ', ' ORDER BY ordinal_position) AS list FROM information_schema.columns WHERE table_name = 'llm_usage_log' AND column_name <> 'id'`,
			)
		).rows[0].list as string;
		const width = rows[0].length;
		const timed = performance.now();
		await client.query('BEGIN');
		if (mode === 'multiRow') {
			const perStatement = Math.floor(65_535 / width);
			for (let start = 0; start < rows.length; start += perStatement) {
				const chunk = rows.slice(start, start + perStatement);
				const values = chunk
					.map(
						(_, r) =>
							`(${Array.from({ length: width }, (_, c) => `$${r * width + c + 1}`).join(', ')})`,
					)
					.join(', ');
				await client.query(`INSERT INTO llm_usage_log (${columns}) VALUES ${values}`, chunk.flat());
			}
		} else {
			const one = `INSERT INTO llm_usage_log (${columns}) VALUES (${Array.from({ length: width }, (_, c) => `$${c + 1}`).join(', ')})`;
			for (const row of rows) await client.query(one, row);
		}
		await client.query('COMMIT');
		await client.end();
		// Reading the prepared rows is not part of writing them.
		process.stdout.write(
			JSON.stringify({
				seconds: (performance.now() - timed) / 1000,
				maxRssMb: process.resourceUsage().maxRSS / 1024,
			}),
		);
		return;
	}
	process.stdout.write(
		JSON.stringify({
			seconds: (performance.now() - started) / 1000,
			maxRssMb: process.resourceUsage().maxRSS / 1024,
		}),
	);
}

function runChild(mode: string, connection: Connection, env: NodeJS.ProcessEnv = {}) {
	const result = spawnSync(
		process.execPath,
		[__filename, 'child', mode, JSON.stringify(connection)],
		{
			env: { ...process.env, ...env },
			encoding: 'utf8',
			maxBuffer: 64 * 1024 * 1024,
		},
	);
	if (result.status !== 0) throw new Error(`${mode} failed: ${result.stderr}`);
	return JSON.parse(result.stdout) as { seconds: number; maxRssMb: number };
}

function sseBenchmark(): void {
	const delta = {
		type: 'content_block_delta',
		index: 0,
		delta: { type: 'text_delta', text: 'The quick brown fox jumps over the lazy dog. ' },
	};
	const deltaEvent = `event: content_block_delta\ndata: ${JSON.stringify(delta)}\n\n`;
	const count = Math.ceil((SSE_MB * 1024 * 1024) / deltaEvent.length);
	const start = fixtures.anthropicStream.slice(
		0,
		fixtures.anthropicStream.indexOf('event: content_block_start'),
	);
	const end = fixtures.anthropicStream.slice(
		fixtures.anthropicStream.indexOf('event: message_delta'),
	);
	const stream = start + deltaEvent.repeat(count) + end;
	const json = `[${JSON.stringify({ type: 'message_start' })},${Array.from({ length: count }, () => JSON.stringify(delta)).join(',')}]`;
	const megabytes = stream.length / 1024 / 1024;

	const time = (work: () => void) => {
		const runs: number[] = [];
		for (let i = 0; i < 3; i++) {
			const t = performance.now();
			work();
			runs.push((performance.now() - t) / 1000);
		}
		return runs.sort((a, b) => a - b)[1];
	};
	let outputTokens: number | null = null;
	const extraction = time(() => {
		outputTokens = extractUsage(stream).output_tokens;
	});
	if (outputTokens !== 15) throw new Error('wrong usage from the stream');
	const parse = time(() => JSON.parse(json));
	console.log(
		`\nSSE usage extraction, ${megabytes.toFixed(0)} MB Anthropic stream (${count.toLocaleString('en')} events), median of 3`,
	);
	console.log(
		`extractUsage(stream)           ${(megabytes / extraction).toFixed(0).padStart(5)} MB/s   ${extraction.toFixed(2)} s`,
	);
	console.log(
		`JSON.parse(same events)        ${(megabytes / parse).toFixed(0).padStart(5)} MB/s   ${parse.toFixed(2)} s`,
	);
	console.log(`ratio ${(parse / extraction).toFixed(2)}x of JSON.parse's speed`);
}

async function main(): Promise<void> {
	const postgres = new TestPostgres();
	await postgres.start();
	try {
		await postgres.createDatabase('keypilot');
		await postgres.setUpLedger('keypilot');
		const connection = postgres.connection('keypilot');
		const truncate = () => postgres.query('keypilot', 'TRUNCATE llm_usage_log');

		const viaNode = runChild('node', connection);
		const rows = await nodeRows(connection);
		if (rows.length !== REQUESTS)
			throw new Error(`expected ${REQUESTS} rows, found ${rows.length}`);
		const rowsFile = join(REPO_ROOT, '.cache', 'bench-usage-rows.json');
		writeFileSync(rowsFile, JSON.stringify(rows));
		await truncate();
		const multiRow = runChild('multiRow', connection, { BENCH_ROWS_FILE: rowsFile });
		await truncate();
		const perItem = runChild('perItem', connection, { BENCH_ROWS_FILE: rowsFile });

		console.log(
			`Usage Logger write path, ${REQUESTS.toLocaleString('en')} requests, PostgreSQL 18 (embedded), each path in a fresh process`,
		);
		const line = (name: string, r: { seconds: number; maxRssMb: number }) =>
			`${name.padEnd(46)} ${Math.round(REQUESTS / r.seconds)
				.toLocaleString('en')
				.padStart(
					8,
				)} requests/s   ${r.seconds.toFixed(2)} s   peak RSS ${r.maxRssMb.toFixed(0)} MB`;
		console.log(line('node (extract + price + write, one transaction)', viaNode));
		console.log(line('plain pg multi-row INSERT (rows ready)', multiRow));
		console.log(line('plain pg one INSERT per row (rows ready)', perItem));
		const ratio = multiRow.seconds / viaNode.seconds;
		console.log(`node vs multi-row INSERT: ratio ${ratio.toFixed(2)}x (target: at least 0.70x)`);
		console.log(
			`node vs one INSERT per row: ratio ${(perItem.seconds / viaNode.seconds).toFixed(2)}x`,
		);
		sseBenchmark();
		process.exitCode = ratio >= 0.7 ? 0 : 1;
	} finally {
		await postgres.stop();
	}
}

if (process.argv[2] === 'child') {
	void child(process.argv[3], JSON.parse(process.argv[4]) as Connection).then(() => process.exit());
} else {
	void main().then(() => process.exit());
}
