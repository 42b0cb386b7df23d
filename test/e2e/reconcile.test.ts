import { workflowCredentials } from './harness/credentials';
import { readWorkflow, startEnvironment, type Environment } from './harness/environment';
import { stage } from './harness/timing';

import { ANTHROPIC_ADMIN_KEY, ANTHROPIC_BILLED, anthropicStandIn } from './standins/anthropic';
import { KEY_COST_FIXTURES, OPENAI_ADMIN_KEY, openAiStandIn } from './standins/openai';
import { json, StandIn } from './standins/server';

jest.setTimeout(30 * 60 * 1000);

const openAi = openAiStandIn();
const anthropic = anthropicStandIn();
const receiver = new StandIn((_req, res) => json(res, 200, { ok: true }));
const workflow = readWorkflow('reconcile.json') as {
	id: string;
	nodes: Array<{ name: string; parameters: Record<string, unknown> }>;
};
let environment: Environment;

/** What the stand-in billed a key on a day, in USD: its fractional cents moved two places. */
function billedUsd(bill: (typeof ANTHROPIC_BILLED)[number]): string {
	const [whole, fraction = ''] = bill.amount.split('.');
	const cents = `${whole}${fraction}`.padStart(fraction.length + 3, '0');
	const usd = `${cents.slice(0, -(fraction.length + 2))}.${cents.slice(-(fraction.length + 2))}`;
	return usd.replace(/0+$/, '').replace(/\.$/, '');
}

/** The UTC day `offset` days after the workflow's first day (7 days ago). */
const dayOf = (offset: number) =>
	new Date(Date.now() - (7 - offset) * 86_400_000).toISOString().slice(0, 10);

beforeAll(async () => {
	await openAi.start();
	await anthropic.start();
	await receiver.start();
	const settings = workflow.nodes.find((node) => node.name === 'Settings')!;
	const assignments = (
		settings.parameters.assignments as { assignments: Array<{ name: string; value: string }> }
	).assignments;
	assignments.find((assignment) => assignment.name === 'webhook_url')!.value =
		`${receiver.url}/drift`;
	environment = await startEnvironment({
		credentials: (postgres) =>
			workflowCredentials({
				postgres,
				database: 'keypilot',
				openAi: { apiKey: OPENAI_ADMIN_KEY, baseUrl: `${openAi.url}/v1` },
				anthropic: { apiKey: ANTHROPIC_ADMIN_KEY, baseUrl: anthropic.url },
			}),
		workflows: [workflow],
	});
	const query = (sql: string, params: unknown[] = []) =>
		environment.postgres.query('keypilot', sql, params);
	// Two keys we know (key_A created through the key webhook, so known by hash), and what the
	// ledger metered for them.
	await query(
		`INSERT INTO llm_api_keys (provider, key_id, key_hash) VALUES ('openai', 'key_A', 'hashA'), ('openai', 'key_B', NULL),
		   ('anthropic', 'apikey_01Alpha', NULL)`,
	);
	// Anthropic: the Alpha key's first day metered at exactly what Anthropic billed it.
	await query(
		`INSERT INTO llm_usage_log (logged_at, provider, key_id, cost_usd) VALUES ($1::date + interval '2 hours', 'anthropic', 'apikey_01Alpha', $2)`,
		[dayOf(0), billedUsd(ANTHROPIC_BILLED[0])],
	);
	await query(
		`INSERT INTO llm_usage_log (logged_at, provider, key_hash, key_id, cost_usd) VALUES
		   ($1::date + interval '1 hour', 'openai', 'hashA', NULL, 1.00),
		   ($1::date + interval '2 hours', 'openai', 'hashA', NULL, 0.50),
		   ($1::date + interval '3 hours', 'openai', NULL, 'key_B', 2.000000000000000001),
		   ($2::date + interval '1 hour', 'openai', 'hashA', NULL, 0.10)`,
		[dayOf(3), dayOf(4)],
	);
	// OpenRouter: running totals as the OpenRouter sync stores them every hour (the key's usage and
	// usage_daily): 9.0 spent by the midnight starting dayOf(5), 12.0 by the next: 3.0 that day.
	await query(
		`INSERT INTO llm_api_keys (provider, key_id, key_hash) VALUES ('openrouter', 'or_e2e', 'hashOR')`,
	);
	await query(
		`INSERT INTO llm_api_key_usage (provider, key_id, snapshot_at, cost_usd, metadata) VALUES
		   ('openrouter', 'or_e2e', $1::date + interval '10 hours', 10.0, '{"usage_daily": "1.0"}'),
		   ('openrouter', 'or_e2e', $2::date + interval '10 hours', 12.5, '{"usage_daily": "0.5"}')`,
		[dayOf(5), dayOf(6)],
	);
	await query(
		`INSERT INTO llm_usage_log (logged_at, provider, key_hash, cost_usd) VALUES
		   ($1::date + interval '3 hours', 'openrouter', 'hashOR', 3.0),
		   ($2::date + interval '3 hours', 'openrouter', 'hashOR', 0.7)`,
		[dayOf(5), dayOf(6)],
	);
});

afterAll(async () => {
	await openAi.stop();
	await anthropic.stop();
	await receiver.stop();
	await environment?.stop();
});

describe('workflows/reconcile.json in a real n8n', () => {
	it('writes the drift table exactly and tells each drift once through the alert channel', async () => {
		expect(KEY_COST_FIXTURES.map((f) => f.dayOffset)).toContain(7);
		const first = await stage('n8n execute (reconcile)', () =>
			environment.n8n.execute(workflow.id),
		);
		expect({ code: first.code, stderr: first.stderr.slice(-2000) }).toEqual({
			code: 0,
			stderr: expect.any(String),
		});
		const drift = await environment.postgres.query(
			'keypilot',
			`SELECT api_key_id, to_char(day, 'YYYY-MM-DD') AS day, trim_scale(metered_usd)::text AS metered,
			        trim_scale(billed_usd)::text AS billed, trim_scale(difference_usd)::text AS difference, status
			   FROM llm_cost_drift WHERE provider = 'openai' ORDER BY day, api_key_id`,
		);
		expect(drift).toEqual([
			{
				api_key_id: '',
				day: dayOf(3),
				metered: '0',
				billed: '0.5',
				difference: '0.5',
				status: 'unattributed',
			},
			{
				api_key_id: 'key_A',
				day: dayOf(3),
				metered: '1.5',
				billed: '1.52',
				difference: '0.02',
				status: 'matched',
			},
			{
				api_key_id: 'key_B',
				day: dayOf(3),
				metered: '2.000000000000000001',
				billed: '2.5',
				difference: '0.499999999999999999',
				status: 'over',
			},
			{
				api_key_id: 'key_A',
				day: dayOf(4),
				metered: '0.1',
				billed: '0.05',
				difference: '-0.05',
				status: 'under',
			},
			{
				api_key_id: 'key_A',
				day: dayOf(7),
				metered: '0',
				billed: '0.07',
				difference: '0.07',
				status: 'open',
			},
		]);
		const told = receiver.requests.map(
			(request) => JSON.parse(request.body) as Record<string, string>,
		);
		expect(
			told
				.map((alert) => `${alert.provider}/${alert.api_key_id}/${alert.day}/${alert.status}`)
				.sort(),
		).toEqual(
			[
				`openai//${dayOf(3)}/unattributed`,
				`openai/key_A/${dayOf(4)}/under`,
				`openai/key_B/${dayOf(3)}/over`,
				`anthropic/apikey_01Alpha/${dayOf(1)}/over`,
				`anthropic//${dayOf(1)}/unattributed`,
			].sort(),
		);
		expect(told.find((alert) => alert.status === 'over' && alert.provider === 'openai')!.text).toBe(
			`Cost drift (over) for openai key key_B on ${dayOf(3)}: billed 2.5 USD, metered 2.000000000000000001 USD, difference 0.499999999999999999 USD`,
		);

		const second = await environment.n8n.execute(workflow.id);
		expect(second.code).toBe(0);
		expect(receiver.requests).toHaveLength(5);
	});

	it("compares each Anthropic key's metered cost with what Anthropic billed it, and names the source", async () => {
		const anthropicDrift = await environment.postgres.query(
			'keypilot',
			`SELECT api_key_id, to_char(day, 'YYYY-MM-DD') AS day, trim_scale(metered_usd)::text AS metered,
			        trim_scale(billed_usd)::text AS billed, status, billed_source
			   FROM llm_cost_drift WHERE provider = 'anthropic' ORDER BY day, api_key_id`,
		);
		const [alpha0, alpha1, beta1] = ANTHROPIC_BILLED.map(billedUsd);
		expect([alpha0, alpha1, beta1]).toEqual(['0.022935', '0.00033', '0.00092']);
		const source = 'anthropic analytics cost by key';
		expect(anthropicDrift).toEqual([
			// Metered exactly what was billed: no drift.
			{
				api_key_id: 'apikey_01Alpha',
				day: dayOf(0),
				metered: alpha0,
				billed: alpha0,
				status: 'matched',
				billed_source: source,
			},
			// Beta is no key the ledger knows.
			{
				api_key_id: '',
				day: dayOf(1),
				metered: '0',
				billed: beta1,
				status: 'unattributed',
				billed_source: source,
			},
			// Billed, never metered: drift.
			{
				api_key_id: 'apikey_01Alpha',
				day: dayOf(1),
				metered: '0',
				billed: alpha1,
				status: 'over',
				billed_source: source,
			},
		]);
		// Anthropic was asked for its billed cost by key, under the Analytics beta.
		const asked = anthropic.requests.filter(
			(request) => request.path === '/v1/organizations/analytics/cost',
		);
		expect(asked.length).toBeGreaterThanOrEqual(2);
		expect(asked[0].headers['anthropic-beta']).toBe('analytics-usage-cost-2026-08-24');
	});

	it('takes OpenRouter’s billed spend from its usage snapshots, a day without the next day’s open', async () => {
		expect(
			await environment.postgres.query(
				'keypilot',
				`SELECT api_key_id, to_char(day, 'YYYY-MM-DD') AS day, trim_scale(metered_usd)::text AS metered,
				        trim_scale(billed_usd)::text AS billed, status
				   FROM llm_cost_drift WHERE provider = 'openrouter' ORDER BY day, api_key_id`,
			),
		).toEqual([
			{ api_key_id: 'or_e2e', day: dayOf(5), metered: '3', billed: '3', status: 'matched' },
			{ api_key_id: 'or_e2e', day: dayOf(6), metered: '0.7', billed: '0', status: 'open' },
		]);
	});
});
