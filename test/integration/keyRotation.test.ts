/**
 * Key rotation through the KeyPilot Ledger node on a real PostgreSQL: due keys start once, steps
 * are handed out once, a lost create is swept before creating again, the quota is shared by the
 * old and new key, and the old key is revoked only after its grace period.
 */
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';
import { Pool } from 'pg';

import { KeypilotLedger } from '../../packages/ledger/nodes/KeypilotLedger/KeypilotLedger.node';
import { keyHash } from '../../packages/ledger/core/keyHash';
import {
	checkQuota,
	inQuotaUnit,
	reserveQuota,
	setParent,
	setQuota,
	settleQuota,
} from '../../packages/ledger/core/quota';
import { TestPostgres } from '../helpers/postgres';
import { resultOf } from '../helpers/executeContext';
import { runWithPostgres } from '../helpers/postgresNode';

jest.setTimeout(5 * 60 * 1000);

const postgres = new TestPostgres();
const node = new KeypilotLedger();
let pool: Pool;

beforeAll(async () => {
	await postgres.start();
	await postgres.createDatabase('keypilot');
	await postgres.setUpLedger('keypilot');
	pool = new Pool(postgres.connection('keypilot'));
});

afterAll(async () => {
	await pool?.end();
	await postgres.stop();
});

const query = <T extends Record<string, unknown> = Record<string, unknown>>(
	sql: string,
	params: unknown[] = [],
) => postgres.query<T>('keypilot', sql, params);
/** The ledger's results: each output item's value under its resource's name. */
const results = (items: INodeExecutionData[], parameters: IDataObject | IDataObject[]) =>
	items.map((item) => ({
		...item,
		json: resultOf(
			item.json,
			String((Array.isArray(parameters) ? parameters[0] : parameters).resource),
		),
	}));
const json = (items: INodeExecutionData[]) => items.map((item) => item.json as IDataObject);
const run = async (parameters: IDataObject | IDataObject[], items: IDataObject[] = [{}]) =>
	json(results((await runWithPostgres(node, postgres, parameters, items))[0], parameters));
const rotation = (operation: string, fields: IDataObject = {}) => ({
	resource: 'keyRotation',
	operation,
	...fields,
});
const plan = (fields: IDataObject = {}) =>
	run(
		rotation('plan', {
			providers: ['openai', 'openrouter', 'volcengine', 'gateway'],
			maxAgeDays: 90,
			graceHours: 24,
			...fields,
		}),
	);
/** Time passes: every lease taken so far has run out. */
const leasesRunOut = () =>
	query(`UPDATE llm_key_rotations SET leased_until = now() - interval '1 second'`);

const OLD_SECRET = 'sk-or-v1-oldOldOldOldOldOldOldOldOld0001';

beforeEach(async () => {
	await query(
		`TRUNCATE llm_key_rotations, llm_quota_aliases, llm_quotas, llm_api_keys, llm_gateway_tokens CASCADE`,
	);
	await query(
		`INSERT INTO llm_api_keys (provider, key_id, name, key_hash, project_id, owner_type, owner_id, created_at, metadata) VALUES
		   ('openrouter', 'or_old', 'team-a', $1, '', 'management_key', NULL, now() - interval '100 days',
		    '{"limit": 25.5, "limit_reset": "monthly", "include_byok_in_limit": false}'),
		   ('openrouter', 'or_young', 'team-b', NULL, '', 'management_key', NULL, now() - interval '10 days', '{}'),
		   ('openai', 'key_old', 'svc', NULL, 'proj_1', 'service_account', 'svc_acct_1', now() - interval '120 days', '{}'),
		   ('openai', 'key_user', 'someone', NULL, 'proj_1', 'user', 'user_1', now() - interval '120 days', '{}'),
		   ('volcengine', 'AKLTold', NULL, NULL, '', 'iam_user', 'ci-bot', now() - interval '95 days', '{}')`,
		[keyHash(OLD_SECRET)],
	);
	await query(
		`INSERT INTO llm_gateway_tokens (token_hash, name, redacted_value, scopes, allowed_models, upstream, created_at)
		 VALUES ('tok_old', 'billing-app', 'kp_abc…wxyz', '{gateway}', '{gpt-4o-mini}', 'openai', now() - interval '200 days')`,
	);
	// The old OpenRouter key's budget: 10 USD a month, 4 spent.
	await query(
		`INSERT INTO llm_quotas (subject_type, subject_id, quota_type, limit_amount, period, used)
		 VALUES ('key_hash', $1, 'usd', 10, 'monthly', 4), ('token_hash', 'tok_old', 'tokens', 1000, 'none', 900)`,
		[keyHash(OLD_SECRET)],
	);
});

describe('KeyPilot Ledger: Key Rotation', () => {
	it('starts each due key once, hands each step out once, and carries limits over', async () => {
		const steps = await plan();
		expect(steps.map((s) => [s.provider, s.action, s.old_key_id]).sort()).toEqual([
			['gateway', 'create', 'tok_old'],
			['openai', 'create', 'key_old'],
			['openrouter', 'create', 'or_old'],
			['volcengine', 'create', 'AKLTold'],
		]);
		const openRouter = steps.find((s) => s.provider === 'openrouter')!;
		expect(openRouter).toMatchObject({
			reason: 'age',
			limit: '25.5',
			limit_reset: 'monthly',
			attempt: 1,
			new_key_name: `team-a (rotation ${String(openRouter.rotation_id).slice(0, 8)})`,
		});
		expect(steps.find((s) => s.provider === 'openai')).toMatchObject({
			project_id: 'proj_1',
			service_account_id: 'svc_acct_1',
		});
		expect(steps.find((s) => s.provider === 'volcengine')).toMatchObject({ user_name: 'ci-bot' });
		// Leased: a second run now gets nothing, and starts nothing twice.
		expect(await plan()).toEqual([]);
		expect(await query(`SELECT count(*)::int AS n FROM llm_key_rotations`)).toEqual([{ n: 4 }]);
	});

	it('runs at once on several workers and still hands each step out once', async () => {
		const runs = await Promise.all(Array.from({ length: 6 }, () => plan()));
		const ids = runs.flat().map((step) => step.rotation_id);
		expect(ids).toHaveLength(4);
		expect(new Set(ids).size).toBe(4);
	});

	it('records the new key, shares one quota between both keys and their layers, then revokes the old one after its grace', async () => {
		// The old key sits inside a team: the new one spends the team's budget too.
		const team = { type: 'team', id: 'rotation-team' };
		await setParent(pool, { type: 'key_hash', id: keyHash(OLD_SECRET) }, team);
		await setQuota(pool, team, { type: 'usd', limit: '100', period: 'none', warningPercent: null });
		const [step] = await plan({ providers: ['openrouter'] });
		const newSecret = 'sk-or-v1-newNewNewNewNewNewNewNewNew0002';
		const [recorded] = await run(
			rotation('recordNewKey', { rotationId: step.rotation_id }),
			[
				{
					data: { hash: 'or_new', name: step.new_key_name, limit: 25.5, limit_reset: 'monthly' },
					key: newSecret,
				},
			].map((created) => ({ ...created.data, key: created.key })),
		);
		expect(recorded).toMatchObject({
			new_key_id: 'or_new',
			old_key_id: 'or_old',
			secret: newSecret,
			redacted_value: 'sk-or-v1…0002',
			quotas_carried: [`key_hash:${keyHash(OLD_SECRET)}`],
		});
		expect(
			await query(
				`SELECT key_hash, status, metadata->>'rotated_from' AS source FROM llm_api_keys WHERE key_id = 'or_new'`,
			),
		).toEqual([{ key_hash: keyHash(newSecret), status: 'active', source: 'or_old' }]);
		// The secret itself is nowhere in the database.
		expect(JSON.stringify(await query(`SELECT * FROM llm_api_keys`))).not.toContain(newSecret);

		// One budget: 4 of 10 spent by the old key; the new key may hold 6 more and no more.
		const newKey = { type: 'key_hash', id: keyHash(newSecret) };
		const oldKey = { type: 'key_hash', id: keyHash(OLD_SECRET) };
		expect(
			await reserveQuota(pool, newKey, inQuotaUnit('6.01'), crypto.randomUUID(), 60),
		).toMatchObject({
			allowed: false,
		});
		const held = crypto.randomUUID();
		expect(await reserveQuota(pool, newKey, inQuotaUnit('5'), held, 60)).toMatchObject({
			allowed: true,
			used: '4',
			reserved: '5',
		});
		expect(
			await reserveQuota(pool, oldKey, inQuotaUnit('1.01'), crypto.randomUUID(), 60),
		).toMatchObject({
			allowed: false,
		});
		await settleQuota(pool, newKey, held, inQuotaUnit('2.5'));
		expect(await checkQuota(pool, oldKey, inQuotaUnit('0'))).toMatchObject({
			used: '6.5',
			reserved: '0',
		});
		const layers = (await checkQuota(pool, newKey, inQuotaUnit('0')))!.layers;
		expect(layers.map((l) => [l.subject_type, l.subject_id, l.used])).toEqual([
			['key_hash', keyHash(OLD_SECRET), '6.5'],
			['team', 'rotation-team', '2.5'],
		]);

		// Delivered: in its grace period nothing is handed out; the old key is not revoked.
		expect(await run(rotation('confirmDelivery', { rotationId: step.rotation_id }))).toEqual([
			expect.objectContaining({ old_key_id: 'or_old', new_key_id: 'or_new' }),
		]);
		await leasesRunOut();
		expect(await plan({ providers: ['openrouter'] })).toEqual([]);
		await query(`UPDATE llm_key_rotations SET grace_until = now() - interval '1 second'`);
		const [revoke] = await plan({ providers: ['openrouter'] });
		expect(revoke).toMatchObject({ action: 'revoke', key_id: 'or_old', kind: 'old' });
		const marked = await run(
			rotation('markRevoked', { rotationId: revoke.rotation_id, keyId: 'or_old' }),
		);
		expect(marked).toEqual([
			expect.objectContaining({
				kind: 'old',
				revoked_key_id: 'or_old',
				new_key_id: 'or_new',
				changed: true,
			}),
		]);
		// Marked again (a re-run after a crash before the ledger heard back): nothing changes.
		expect(
			await run(rotation('markRevoked', { rotationId: revoke.rotation_id, keyId: 'or_old' })),
		).toEqual([expect.objectContaining({ changed: false })]);
		expect(
			await query(
				`SELECT key_id, status FROM llm_api_keys WHERE provider = 'openrouter' ORDER BY key_id`,
			),
		).toEqual([
			{ key_id: 'or_new', status: 'active' },
			{ key_id: 'or_old', status: 'revoked' },
			{ key_id: 'or_young', status: 'active' },
		]);
		// The new key is young: nothing more to do.
		await leasesRunOut();
		expect(await plan({ providers: ['openrouter'] })).toEqual([]);
	});

	it('sweeps for a key a lost create left before creating again', async () => {
		const [first] = await plan({ providers: ['openrouter'] });
		// The create reached OpenRouter, and the run died before recording: no Record New Key.
		await leasesRunOut();
		const [sweep] = await plan({ providers: ['openrouter'] });
		expect(sweep).toMatchObject({ rotation_id: first.rotation_id, action: 'sweep' });
		const listed = [
			{ hash: 'or_old', name: 'team-a' },
			{ hash: 'or_lost', name: first.new_key_name },
			{ hash: 'or_young', name: 'team-b' },
		];
		const lost = await run(
			listed.map(() => rotation('findLostKeys', { rotationId: first.rotation_id })),
			listed,
		);
		expect(lost).toEqual([
			expect.objectContaining({
				action: 'revoke',
				kind: 'orphan',
				key_id: 'or_lost',
				provider: 'openrouter',
			}),
		]);
		await run(rotation('markRevoked', { rotationId: first.rotation_id, keyId: 'or_lost' }));
		expect(
			await query(
				`SELECT status, metadata->>'lost_by_rotation' AS rotation FROM llm_api_keys WHERE key_id = 'or_lost'`,
			),
		).toEqual([{ status: 'revoked', rotation: first.rotation_id }]);
		// The next run sweeps again, finds none left, and the one after creates.
		const [again] = await plan({ providers: ['openrouter'] });
		expect(again).toMatchObject({ action: 'sweep' });
		expect(
			await run(rotation('findLostKeys', { rotationId: first.rotation_id }), [
				{ hash: 'or_old', name: 'team-a' },
			]),
		).toEqual([]);
		expect(await plan({ providers: ['openrouter'] })).toEqual([
			expect.objectContaining({ action: 'create', attempt: 2, rotation_id: first.rotation_id }),
		]);
	});

	it('revokes a new key whose delivery was never confirmed and makes it again, the old key kept', async () => {
		const [step] = await plan({ providers: ['openai'], graceHours: 0 });
		expect(step).toMatchObject({ action: 'create', project_id: 'proj_1' });
		await run(rotation('recordNewKey', { rotationId: step.rotation_id }), [
			{
				object: 'organization.project.service_account',
				id: 'svc_acct_2',
				name: step.new_key_name,
				api_key: {
					id: 'key_new',
					value: 'sk-svcacct-newNewNewNewNewNew0003',
					created_at: 1764000000,
				},
			},
		]);
		// The secret was never delivered (the delivery failed, or the run died): even with the grace
		// over, the old key is not handed out for revoking; the new one is, once its lease runs out.
		expect(await plan({ providers: ['openai'] })).toEqual([]);
		await leasesRunOut();
		const [revoke] = await plan({ providers: ['openai'] });
		expect(revoke).toMatchObject({
			action: 'revoke',
			kind: 'undelivered',
			key_id: 'key_new',
			service_account_id: 'svc_acct_2',
		});
		await expect(
			run(rotation('markRevoked', { rotationId: step.rotation_id, keyId: 'key_old' })),
		).rejects.toThrow(/delivery is confirmed/);
		expect(
			await run(rotation('markRevoked', { rotationId: step.rotation_id, keyId: 'key_new' })),
		).toEqual([expect.objectContaining({ kind: 'undelivered', changed: true })]);
		expect(
			await query(
				`SELECT key_id, status FROM llm_api_keys WHERE provider = 'openai' ORDER BY key_id`,
			),
		).toEqual([
			{ key_id: 'key_new', status: 'revoked' },
			{ key_id: 'key_old', status: 'active' },
			{ key_id: 'key_user', status: 'active' },
		]);
		expect(await plan({ providers: ['openai'] })).toEqual([
			expect.objectContaining({ action: 'create', attempt: 2, service_account_id: 'svc_acct_1' }),
		]);
	});

	it('finds a lost Volcengine access key by its user and time, having no name', async () => {
		const [step] = await plan({ providers: ['volcengine'] });
		await leasesRunOut();
		await plan({ providers: ['volcengine'] });
		const now = new Date().toISOString();
		const lost = await run(
			rotation('findLostKeys', { rotationId: step.rotation_id, userName: 'ci-bot' }),
			[
				{ AccessKeyId: 'AKLTold', UserName: 'ci-bot', CreateDate: '2026-01-01T00:00:00Z' },
				{ AccessKeyId: 'AKLTlost', UserName: 'ci-bot', CreateDate: now },
			],
		);
		expect(lost).toEqual([expect.objectContaining({ key_id: 'AKLTlost', user_name: 'ci-bot' })]);
	});

	it('rotates a gateway token in the ledger alone, its quota shared', async () => {
		const [step] = await plan({ providers: ['gateway'], graceHours: 0 });
		const [minted] = await run(rotation('recordNewKey', { rotationId: step.rotation_id }));
		await run(rotation('confirmDelivery', { rotationId: step.rotation_id }));
		expect(String(minted.secret)).toMatch(/^kp_[0-9a-f]{64}$/);
		expect(minted.new_key_id).toBe(keyHash(String(minted.secret)));
		expect(
			await query(
				`SELECT name, allowed_models, upstream, status FROM llm_gateway_tokens WHERE token_hash = $1`,
				[minted.new_key_id],
			),
		).toEqual([
			{
				name: step.new_key_name,
				allowed_models: ['gpt-4o-mini'],
				upstream: 'openai',
				status: 'active',
			},
		]);
		expect(
			await reserveQuota(
				pool,
				{ type: 'token_hash', id: String(minted.new_key_id) },
				inQuotaUnit('101'),
				crypto.randomUUID(),
				60,
			),
		).toMatchObject({ allowed: false, used: '900' });
		const [revoke] = await plan({ providers: ['gateway'] });
		expect(revoke).toMatchObject({ action: 'revoke', key_id: 'tok_old' });
		await run(rotation('markRevoked', { rotationId: revoke.rotation_id, keyId: 'tok_old' }));
		expect(
			await query(`SELECT token_hash, status FROM llm_gateway_tokens ORDER BY created_at`),
		).toEqual([
			{ token_hash: 'tok_old', status: 'revoked' },
			{ token_hash: minted.new_key_id, status: 'active' },
		]);
	});

	it('rotates one key on demand, and names the field of bad input with nothing written', async () => {
		expect(
			await plan({ maxAgeDays: '', onDemandProvider: 'openrouter', onDemandKeyId: 'or_young' }),
		).toEqual([
			expect.objectContaining({ old_key_id: 'or_young', reason: 'on_demand', action: 'create' }),
		]);
		await expect(plan({ onDemandProvider: 'openrouter', onDemandKeyId: 'nope' })).rejects.toThrow(
			/"Key ID" must be an active openrouter key/,
		);
		await expect(plan({ onDemandProvider: '', onDemandKeyId: 'or_old' })).rejects.toThrow(
			/"Rotate Now: Provider"/,
		);
		await expect(plan({ graceHours: -1 })).rejects.toThrow(
			/"Grace Period \(Hours\)" must be a number from 0 to 8760/,
		);
		await expect(
			run(rotation('recordNewKey', { rotationId: 'not-a-rotation' }), [{}]),
		).rejects.toThrow(/"Rotation ID"/);
		// A user's own OpenAI key cannot be made again by an admin: it is not rotatable.
		await expect(plan({ onDemandProvider: 'openai', onDemandKeyId: 'key_user' })).rejects.toThrow(
			/service-account key/,
		);
		expect(await query(`SELECT count(*)::int AS n FROM llm_key_rotations`)).toEqual([{ n: 1 }]);
	});
});
