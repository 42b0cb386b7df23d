/** Gateway tokens minted in SQL keep the same name rule as the key webhook. */

import { TestPostgres } from '../helpers/postgres';

jest.setTimeout(120_000);

const postgres = new TestPostgres();

beforeAll(async () => {
	await postgres.start();
	await postgres.createDatabase('keypilot');
	await postgres.setUpLedger('keypilot');
	await postgres.query(
		'keypilot',
		`INSERT INTO llm_upstreams (name, url) VALUES ('openai', 'https://api.openai.com/v1') ON CONFLICT DO NOTHING`,
	);
});

afterAll(() => postgres.stop());

const mint = (name: string | null) =>
	postgres.query<{ token: string }>('keypilot', 'SELECT token FROM keypilot_mint_token($1)', [
		name,
	]);

it('mints a token for a name of 1 to 100 characters, formula-looking ones included', async () => {
	for (const name of ['ci-bot', '=HYPERLINK("http://x")', 'équipe données 数据', 'x'.repeat(100)])
		expect(await mint(name)).toHaveLength(1);
});

it('refuses an empty, overlong or control-character name, and stores nothing', async () => {
	const [{ count: before }] = await postgres.query<{ count: string }>(
		'keypilot',
		'SELECT count(*)::text FROM llm_gateway_tokens',
	);
	for (const name of [
		'',
		'x'.repeat(101),
		'x'.repeat(10 * 1024 * 1024),
		'line\nbreak',
		'tab\there',
		null,
	])
		await expect(mint(name)).rejects.toThrow(
			'token name must be 1 to 100 characters without control characters',
		);
	const [{ count: after }] = await postgres.query<{ count: string }>(
		'keypilot',
		'SELECT count(*)::text FROM llm_gateway_tokens',
	);
	expect(after).toBe(before);
});
