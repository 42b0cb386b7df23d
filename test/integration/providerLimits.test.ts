/**
 * Quotas mirrored to the providers' own limits, through the KeyPilot Ledger node on a real
 * PostgreSQL: what each provider should hold, reads that find changes made by hand (told once),
 * pushes recorded from the provider's read-back.
 */
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { KeypilotLedger } from '../../packages/ledger/nodes/KeypilotLedger/KeypilotLedger.node';
import { OpenApiContract } from '../contract/harness/openapi';
import { TestPostgres } from '../helpers/postgres';
import { resultOf } from '../helpers/executeContext';
import { runWithPostgres } from '../helpers/postgresNode';

jest.setTimeout(5 * 60 * 1000);

const postgres = new TestPostgres();
const node = new KeypilotLedger();

beforeAll(async () => {
	await postgres.start();
	await postgres.createDatabase('keypilot');
	await postgres.setUpLedger('keypilot');
});

afterAll(async () => {
	await postgres.stop();
});

const query = (sql: string, params: unknown[] = []) => postgres.query('keypilot', sql, params);
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
const run = async (parameters: IDataObject, items: IDataObject[] = [{}]) =>
	json(
		results(
			(
				await runWithPostgres(node, postgres, { resource: 'providerLimit', ...parameters }, items)
			)[0],
			{ resource: 'providerLimit' },
		),
	);
const orKey = (limit: number | null, reset: string | null = 'monthly') => ({
	hash: 'or_k1',
	name: 'team-a',
	limit,
	limit_reset: reset,
});
const compare = (
	item: IDataObject,
	stage = 'read',
	target = 'openrouter_key',
	targetId = 'or_k1',
) => run({ operation: 'compare', target, targetId, stage }, [item]);

beforeEach(async () => {
	await query(`TRUNCATE llm_limit_mirrors, llm_quota_aliases, llm_quotas CASCADE`);
	await query(
		`INSERT INTO llm_quotas (subject_type, subject_id, quota_type, limit_amount, period) VALUES
		   ('key_id', 'or_k1', 'usd', 1, 'monthly'),
		   ('project', 'proj_1', 'usd', 10.005, 'monthly'),
		   ('project', 'proj_daily', 'usd', 5, 'daily'),
		   ('token_hash', 'tok', 'tokens', 1000, 'none')`,
	);
});

describe('KeyPilot Ledger: Provider Limit', () => {
	it('mirrors USD quotas to the limits each provider can hold, and refuses the rest by name', async () => {
		expect(
			await run({
				operation: 'mirror',
				subjectType: 'key_id',
				subjectId: 'or_k1',
				target: 'openrouter_key',
				targetId: 'or_k1',
			}),
		).toEqual([
			expect.objectContaining({ desired_limit: '1', desired_reset: 'monthly', policy: 'restore' }),
		]);
		// OpenAI holds whole cents a month: 10.005 USD becomes 10.00, never more than the quota.
		expect(
			await run({
				operation: 'mirror',
				subjectType: 'project',
				subjectId: 'proj_1',
				target: 'openai_project',
				targetId: 'proj_1',
			}),
		).toEqual([
			expect.objectContaining({
				desired_limit: '10',
				desired_cents: '1000',
				desired_reset: 'monthly',
			}),
		]);
		await expect(
			run({
				operation: 'mirror',
				subjectType: 'project',
				subjectId: 'proj_daily',
				target: 'openai_project',
				targetId: 'proj_daily',
			}),
		).rejects.toThrow(/"Quota" must be a monthly quota \(OpenAI spend limits are monthly\)/);
		await expect(
			run({
				operation: 'mirror',
				subjectType: 'token_hash',
				subjectId: 'tok',
				target: 'openrouter_key',
				targetId: 'x',
			}),
		).rejects.toThrow(/"Quota" must be a USD quota/);
		await expect(
			run({
				operation: 'mirror',
				subjectType: 'key_id',
				subjectId: 'nobody',
				target: 'openrouter_key',
				targetId: 'x',
			}),
		).rejects.toThrow(/"Subject ID" must be a subject with a quota/);
		expect(await query(`SELECT target, target_id FROM llm_limit_mirrors ORDER BY target`)).toEqual([
			{ target: 'openai_project', target_id: 'proj_1' },
			{ target: 'openrouter_key', target_id: 'or_k1' },
		]);
		expect(
			await run({ operation: 'plan', targets: ['openrouter_key', 'openai_project'] }),
		).toHaveLength(2);
	});

	it("mirrors a layer: a team's budget for all models becomes an OpenAI project's limit, its model cap and rate limit stay ours", async () => {
		await query(
			`INSERT INTO llm_quotas (subject_type, subject_id, models, kind, quota_type, limit_amount, period) VALUES
			   ('team', 'eng', '', 'budget', 'usd', 250, 'monthly'),
			   ('team', 'eng', 'o3*', 'budget', 'usd', 40, 'monthly'),
			   ('team', 'eng', '', 'requests_per_minute', 'requests', 60, 'none')`,
		);
		expect(
			await run({
				operation: 'mirror',
				subjectType: 'team',
				subjectId: 'eng',
				target: 'openai_project',
				targetId: 'proj_eng',
			}),
		).toEqual([
			expect.objectContaining({
				subject_type: 'team',
				desired_limit: '250',
				desired_cents: '25000',
			}),
		]);
		expect(await run({ operation: 'plan', targets: ['openai_project'] })).toEqual([
			expect.objectContaining({ target_id: 'proj_eng', desired_limit: '250' }),
		]);
	});

	it('pushes, reads back, finds a change made by hand once, and sets ours again', async () => {
		await run({
			operation: 'mirror',
			subjectType: 'key_id',
			subjectId: 'or_k1',
			target: 'openrouter_key',
			targetId: 'or_k1',
		});
		expect(await compare(orKey(null, null))).toEqual([
			expect.objectContaining({ status: 'to_push', push: true, new_hand_change: false }),
		]);
		expect(await compare(orKey(1), 'pushed')).toEqual([
			expect.objectContaining({ status: 'pushed' }),
		]);
		expect(await compare(orKey(1))).toEqual([
			expect.objectContaining({ status: 'in_sync', push: false }),
		]);
		// Someone raises the limit to 50 at OpenRouter.
		const [changed] = await compare(orKey(50));
		expect(changed).toMatchObject({
			status: 'changed_by_hand',
			push: true,
			new_hand_change: true,
			observed_limit: '50',
		});
		expect(changed.text).toBe(
			'The limit of OpenRouter key or_k1 was changed at the provider to 50 USD monthly; its quota says 1 USD monthly, which is set again',
		);
		// A push that does not take is not recorded as ours.
		expect(await compare(orKey(50), 'pushed')).toEqual([
			expect.objectContaining({ status: 'not_applied' }),
		]);
		expect(await compare(orKey(1), 'pushed')).toEqual([
			expect.objectContaining({ status: 'pushed' }),
		]);

		// Under the report policy, a change is told once and left.
		await run({
			operation: 'mirror',
			subjectType: 'key_id',
			subjectId: 'or_k1',
			target: 'openrouter_key',
			targetId: 'or_k1',
			policy: 'report',
		});
		expect(await compare(orKey(20, 'daily'))).toEqual([
			expect.objectContaining({ status: 'changed_by_hand', push: false, new_hand_change: true }),
		]);
		expect(await compare(orKey(20, 'daily'))).toEqual([
			expect.objectContaining({ status: 'changed_by_hand', push: false, new_hand_change: false }),
		]);
	});

	it('pushes a quota changed in the ledger, which is not a change by hand', async () => {
		await run({
			operation: 'mirror',
			subjectType: 'key_id',
			subjectId: 'or_k1',
			target: 'openrouter_key',
			targetId: 'or_k1',
		});
		await compare(orKey(1), 'pushed');
		await query(
			`UPDATE llm_quotas SET limit_amount = 2.5, period = 'weekly' WHERE subject_id = 'or_k1'`,
		);
		expect(await compare(orKey(1))).toEqual([
			expect.objectContaining({
				status: 'to_push',
				push: true,
				desired_limit: '2.5',
				desired_reset: 'weekly',
				new_hand_change: false,
			}),
		]);
	});

	it('mirrors a monthly USD quota to an Anthropic workspace spend limit in whole cents, read back from Get for Scope', async () => {
		await query(
			`INSERT INTO llm_quotas (subject_type, subject_id, quota_type, limit_amount, period) VALUES
			   ('project', 'wrkspc_01A', 'usd', 250.257, 'monthly')`,
		);
		expect(
			await run({
				operation: 'mirror',
				subjectType: 'project',
				subjectId: 'wrkspc_01A',
				target: 'anthropic_workspace',
				targetId: 'wrkspc_01A',
			}),
		).toEqual([
			expect.objectContaining({
				desired_limit: '250.25',
				desired_cents: '25025',
				desired_reset: 'monthly',
			}),
		]);
		await expect(
			run({
				operation: 'mirror',
				subjectType: 'project',
				subjectId: 'proj_daily',
				target: 'anthropic_workspace',
				targetId: 'wrkspc_01B',
			}),
		).rejects.toThrow(/"Quota" must be a monthly quota \(Anthropic spend limits are monthly\)/);
		// Claude Admin, Spend Limit, Get for Scope: none yet, then ours, then raised by hand.
		const limit = (amount: string | null) => ({
			exists: amount !== null,
			type: 'spend_limit',
			id: amount === null ? null : 'spl_01A',
			amount,
			period: 'monthly',
			scope: { type: 'workspace', workspace_id: 'wrkspc_01A' },
		});
		const anthropic = (item: IDataObject, stage = 'read') =>
			compare(item, stage, 'anthropic_workspace', 'wrkspc_01A');
		expect(await anthropic(limit(null))).toEqual([
			expect.objectContaining({ status: 'to_push', push: true, observed_limit: null }),
		]);
		expect(await anthropic(limit('25025'), 'pushed')).toEqual([
			expect.objectContaining({ status: 'pushed' }),
		]);
		const [changed] = await anthropic(limit('100000'));
		expect(changed).toMatchObject({
			status: 'changed_by_hand',
			push: true,
			observed_limit: '1000',
		});
		expect(changed.text).toBe(
			'The limit of Anthropic workspace wrkspc_01A was changed at the provider to 1000 USD monthly; its quota says 250.25 USD monthly, which is set again',
		);
		// Anthropic's refusal (a Console organization without the preview) is told as it came.
		await expect(
			anthropic({
				error: 'Anthropic returned 403: permission_error: Spend limits are in early access',
			}),
		).rejects.toThrow(/Spend limits are in early access/);
	});

	it('reads an OpenAI project with no spend limit (404) as none, and fails on any other error', async () => {
		await run({
			operation: 'mirror',
			subjectType: 'project',
			subjectId: 'proj_1',
			target: 'openai_project',
			targetId: 'proj_1',
		});
		expect(
			await compare(
				{ error: 'OpenAI returned 404: No spend limit found' },
				'read',
				'openai_project',
				'proj_1',
			),
		).toEqual([
			expect.objectContaining({
				status: 'to_push',
				push: true,
				observed_limit: null,
				desired_cents: '1000',
			}),
		]);
		// OpenAI's answer to Set Spend Limit, as its definition describes it.
		const answer = {
			object: 'project.spend_limit',
			threshold_amount: 1000,
			currency: 'USD',
			interval: 'month',
			enforcement: { status: 'enforcing' },
		};
		const contract = await OpenApiContract.load('openai-openapi.yaml');
		expect(contract.responseErrors('Updateprojectspendlimit', answer)).toEqual([]);
		expect(await compare(answer, 'pushed', 'openai_project', 'proj_1')).toEqual([
			expect.objectContaining({ status: 'pushed', observed_limit: '10' }),
		]);
		await expect(
			compare(
				{ error: 'The OpenAI Admin API key was rejected' },
				'read',
				'openai_project',
				'proj_1',
			),
		).rejects.toThrow(/"Provider Limit" must be the provider’s answer, read without error/);
	});
});
