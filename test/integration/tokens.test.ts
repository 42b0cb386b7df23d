/** Gateway tokens minted in SQL keep the same name rule as the key webhook. */

import { Pool } from 'pg';

import { MAX_LAYER_DEPTH, setParent } from '../../packages/ledger/core/quota';
import { mintToken, parseTokenRequest } from '../../packages/ledger/core/tokens';
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

it('Mint puts the token inside its parent in the same statement, or mints nothing when the parent is too deep', async () => {
	const pool = new Pool({ ...postgres.connection('keypilot'), max: 1 });
	try {
		const request = (parent: string) =>
			parseTokenRequest({
				name: 'in a team',
				scopes: 'gateway',
				routes: '',
				models: '',
				upstream: 'openai',
				parentType: 'team',
				parent,
			});
		const minted = await mintToken(pool, request('mint-team'));
		expect(minted.parent).toEqual({ type: 'team', id: 'mint-team' });
		const parents = await postgres.query(
			'keypilot',
			`SELECT parent_type, parent_id FROM llm_quota_parents WHERE subject_type = 'token_hash' AND subject_id = $1`,
			[minted.token_hash],
		);
		expect(parents).toEqual([{ parent_type: 'team', parent_id: 'mint-team' }]);

		for (let level = 1; level < MAX_LAYER_DEPTH; level++) {
			await setParent(
				pool,
				{ type: 'team', id: `deep-${level}` },
				{ type: 'team', id: `deep-${level + 1}` },
			);
		}
		const [{ count: before }] = await postgres.query<{ count: string }>(
			'keypilot',
			'SELECT count(*)::text FROM llm_gateway_tokens',
		);
		await expect(mintToken(pool, request('deep-1'))).rejects.toThrow(/^"Parent" must be a layer/);
		const [{ count: after }] = await postgres.query<{ count: string }>(
			'keypilot',
			'SELECT count(*)::text FROM llm_gateway_tokens',
		);
		expect(after).toBe(before);
		expect(() => request({ not: 'a name' } as unknown as string)).toThrow(/^"Parent" must be/);
	} finally {
		await pool.end();
	}
});
