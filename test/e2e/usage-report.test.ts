import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { PNG } from 'pngjs';

import { workflowCredentials } from './harness/credentials';
import { readWorkflow, startEnvironment, type Environment } from './harness/environment';
import { waitForWebhook, type RunningN8n } from './harness/n8n';
import { stage } from './harness/timing';

jest.setTimeout(30 * 60 * 1000);

const workflow = readWorkflow('usage-report.json');
let environment: Environment;
let n8n: RunningN8n;
let readerToken: string;

/** A week of requests from two providers and three keys, some failing. */
async function seed() {
	await environment.postgres.query(
		'keypilot',
		`INSERT INTO llm_cost_drift (provider, api_key_id, day, metered_usd, billed_usd, difference_usd, difference_percent, status, tolerance_percent)
		 VALUES ('openai', 'key_B', '2026-11-12', 2, 2.5, 0.5, 20, 'over', 2),
		        ('openai', '', '2026-11-12', 0, 0.5, 0.5, 100, 'unattributed', 2),
		        ('openai', 'key_B', '2026-11-20', 1, 1, 0, 0, 'matched', 2)`,
	);
	await environment.postgres.query(
		'keypilot',
		`INSERT INTO llm_usage_log (logged_at, provider, model, key_hash, key_name, route, status_code, total_tokens, cost_usd, request_id)
		 SELECT timestamptz '2026-11-10T12:00:00Z' + (d || ' days')::interval,
		        CASE WHEN n % 2 = 0 THEN 'openai' ELSE 'anthropic' END, 'm', 'hash-' || (n % 3), 'key-' || (n % 3), '/v1/chat/completions',
		        CASE WHEN n % 5 = 0 THEN 500 ELSE 200 END, 100, 0.0012345 * (n + 1), 'r-' || d || '-' || n
		   FROM generate_series(0, 6) d, generate_series(0, 9) n`,
	);
}

async function get(query: string, token = readerToken) {
	const response = await fetch(`${n8n.url}/webhook/usage-report?${query}`, {
		headers: { authorization: `Bearer ${token}` },
	});
	return {
		status: response.status,
		type: response.headers.get('content-type'),
		text: await response.text(),
	};
}

beforeAll(async () => {
	environment = await startEnvironment({
		credentials: (postgres) => workflowCredentials({ postgres, database: 'keypilot' }),
		workflows: [workflow],
	});
	[{ token: readerToken }] = await environment.postgres.query<{ token: string }>(
		'keypilot',
		`SELECT token FROM keypilot_mint_token('finance', '{reports:read}')`,
	);
	await seed();
	await environment.n8n.publish(workflow.id);
	n8n = await stage('n8n start', () =>
		environment.n8n.start({ log: !!process.env.KEYPILOT_E2E_LOG }),
	);
	await stage('webhook registered', async () => {
		await waitForWebhook(`${n8n.url}/webhook/usage-report`, { method: 'GET' });
		await waitForWebhook(`${n8n.url}/webhook/usage-report/link`, { method: 'POST' });
	});
});

/** Folders this suite made for Chromium, removed at the end. */
const cleanup: string[] = [];

afterAll(async () => {
	await n8n?.stop();
	await environment?.stop();
	for (const dir of cleanup) rmSync(dir, { recursive: true, force: true });
});

const RANGE = 'from=2026-11-10T00:00:00Z&to=2026-11-17T00:00:00Z';

describe('workflows/usage-report.json in a real n8n', () => {
	it('refuses a request without a token (401), and a token without reports:read (403)', async () => {
		expect((await get(RANGE, 'kp_nope')).status).toBe(401);
		const [{ token: gatewayOnly }] = await environment.postgres.query<{ token: string }>(
			'keypilot',
			`SELECT token FROM keypilot_mint_token('not-finance', '{gateway}')`,
		);
		const forbidden = await get(RANGE, gatewayOnly);
		expect({ status: forbidden.status, body: JSON.parse(forbidden.text) }).toEqual({
			status: 403,
			body: {
				error: { code: 'forbidden', message: 'This token does not have the reports:read scope' },
			},
		});
	});

	it('opens in a browser by a signed link that expires, never by the token in the URL', async () => {
		expect((await fetch(`${n8n.url}/webhook/usage-report/link`, { method: 'POST' })).status).toBe(
			401,
		);
		const signed = await fetch(`${n8n.url}/webhook/usage-report/link`, {
			method: 'POST',
			headers: { authorization: `Bearer ${readerToken}` },
		});
		expect(signed.status).toBe(200);
		const { url, link, expires_at } = (await signed.json()) as Record<string, string>;
		expect(url).toBe(`/webhook/usage-report?link=${link}`);
		expect(link).toMatch(/^kpl_/);
		expect(link).not.toContain(readerToken);
		const minutes = (Date.parse(expires_at) - Date.now()) / 60_000;
		expect(minutes).toBeGreaterThan(13);
		expect(minutes).toBeLessThanOrEqual(15);
		const page = await fetch(`${n8n.url}${url}&${RANGE}`);
		expect({ status: page.status, type: page.headers.get('content-type') }).toEqual({
			status: 200,
			type: expect.stringContaining('text/html'),
		});
		// The token itself in the query string opens nothing; neither does a link changed by hand.
		expect(
			(await fetch(`${n8n.url}/webhook/usage-report?${RANGE}&token=${readerToken}`)).status,
		).toBe(401);
		expect((await fetch(`${n8n.url}${url.slice(0, -3)}AAA&${RANGE}`)).status).toBe(401);
	});

	it('answers 400 naming the dates for a range that is not one, 503 when the ledger cannot be read', async () => {
		for (const query of [
			'from=garbage',
			'to=2026-13-45',
			'from=1e309',
			"from=2026-11-01'; DROP TABLE x",
		]) {
			const answer = await get(query);
			expect({ query, status: answer.status }).toEqual({ query, status: 400 });
			expect(JSON.parse(answer.text)).toMatchObject({
				error: { code: 'invalid_request', field: 'from/to' },
			});
		}
		await environment.postgres.query(
			'keypilot',
			'ALTER TABLE llm_usage_log RENAME TO llm_usage_log_away',
		);
		try {
			const answer = await get(RANGE);
			expect(answer.status).toBe(503);
			expect(JSON.parse(answer.text)).toMatchObject({ error: { code: 'ledger_unavailable' } });
		} finally {
			await environment.postgres.query(
				'keypilot',
				'ALTER TABLE llm_usage_log_away RENAME TO llm_usage_log',
			);
		}
	});

	it('answers CSV with the exact daily cost per provider and the top keys', async () => {
		const csv = await get(`${RANGE}&format=csv`);
		expect(csv.status).toBe(200);
		expect(csv.type).toContain('text/csv');
		const lines = csv.text.trim().split('\n');
		expect(lines[0]).toBe(
			'section,day,provider_or_key,calls,errors,tokens,cost_usd,billed_usd,status',
		);
		const daily = lines.filter((line) => line.startsWith('daily,'));
		expect(daily).toHaveLength(14);
		// openai on each day: n = 0, 2, 4, 6, 8, costs 0.0012345 × (1 + 3 + 5 + 7 + 9) = 0.0308625; 1 error (n = 0)
		expect(daily[1]).toBe('daily,2026-11-10,openai,5,1,,0.0308625,,');
		expect(lines.filter((line) => line.startsWith('top_key,'))).toHaveLength(3);
		// Reconciled days show what was metered against what was billed.
		expect(lines.filter((line) => line.startsWith('drift,'))).toEqual([
			'drift,2026-11-12,openai (no key we know),,,,0,0.5,unattributed',
			'drift,2026-11-12,openai key_B,,,,2,2.5,over',
		]);
	});

	it('exports a key name that looks like a formula as text, never as a live formula', async () => {
		await environment.postgres.query(
			'keypilot',
			`INSERT INTO llm_usage_log (logged_at, provider, key_hash, key_name, status_code, total_tokens, cost_usd, request_id)
			 VALUES ('2026-11-12T08:00:00Z', 'openai', 'hash-formula', '=HYPERLINK("http://x","click")', 200, 1, 99, 'r-formula'),
			        ('2026-11-12T08:00:00Z', 'openai', 'hash-at', '@SUM(A1)', 200, 1, 98, 'r-at')`,
		);
		try {
			const csv = await get(`${RANGE}&format=csv`);
			const cells = csv.text.split('\n').flatMap((line) => line.split(','));
			expect(cells.filter((cell) => /^"?[=+@]/.test(cell))).toEqual([]);
			expect(csv.text).toContain(`top_key,,"'=HYPERLINK(`);
			expect(csv.text).toContain(`top_key,,'@SUM(A1),`);
		} finally {
			await environment.postgres.query(
				'keypilot',
				`DELETE FROM llm_usage_log WHERE request_id IN ('r-formula', 'r-at')`,
			);
		}
	});

	it('answers an HTML page whose charts Chromium draws', async () => {
		const html = await get(RANGE);
		expect(html.status).toBe(200);
		expect(html.type).toContain('text/html');
		for (const id of ['cost-chart', 'keys-chart', 'errors-chart', 'drift'])
			expect(html.text).toContain(`id="${id}"`);

		const dir = mkdtempSync(join(tmpdir(), 'keypilot-report-'));
		cleanup.push(dir);
		writeFileSync(join(dir, 'report.html'), html.text);
		const shot = join(dir, 'report.png');
		const result = await stage('Chromium screenshot', async () =>
			spawnSync(
				process.env.KEYPILOT_CHROMIUM ?? 'chromium',
				[
					'--headless',
					'--no-sandbox',
					'--disable-gpu',
					'--hide-scrollbars',
					'--window-size=1000,1400',
					`--screenshot=${shot}`,
					`file://${join(dir, 'report.html')}`,
				],
				{ encoding: 'utf8', timeout: 120_000 },
			),
		);
		expect({ status: result.status, stderr: result.status === 0 ? '' : result.stderr }).toEqual({
			status: 0,
			stderr: '',
		});
		const png = PNG.sync.read(readFileSync(shot));
		const count = (hex: string) => {
			const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
			let n = 0;
			for (let i = 0; i < png.data.length; i += 4)
				if (
					Math.abs(png.data[i] - r) < 12 &&
					Math.abs(png.data[i + 1] - g) < 12 &&
					Math.abs(png.data[i + 2] - b) < 12
				)
					n++;
			return n;
		};
		// Stacked bars for the two providers, the top-keys bars and the error-rate line are on screen.
		expect({
			openaiBars: count('#f97316') > 2000,
			anthropicBars: count('#2563eb') > 2000,
			keyBars: count('#0d9488') > 1000,
			errorLine: count('#dc2626') > 300,
		}).toEqual({
			openaiBars: true,
			anthropicBars: true,
			keyBars: true,
			errorLine: true,
		});
	});
});
