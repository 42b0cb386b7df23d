import nock from 'nock';
import type { IDataObject } from 'n8n-workflow';

import { OpenAiAdminApi } from '../../credentials/OpenAiAdminApi.credentials';
import { OpenAiAdmin } from '../../nodes/OpenAiAdmin/OpenAiAdmin.node';
import { createExecuteContext } from '../helpers/executeContext';

const BASE = 'https://api.openai.test';
const credentials = { apiKey: 'sk-admin-endpoints', organizationId: '', baseUrl: `${BASE}/v1` };

async function run(parameters: IDataObject) {
	const context = createExecuteContext({
		nodeType: new OpenAiAdmin(),
		credentialType: new OpenAiAdminApi(),
		credentials,
		parameters,
	});
	const [output] = await new OpenAiAdmin().execute.call(context);
	return output.map((item) => item.json);
}

async function runError(parameters: IDataObject): Promise<Error> {
	try {
		await run(parameters);
	} catch (error) {
		return error as Error;
	}
	throw new Error('expected the node to fail');
}

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());
afterAll(() => nock.enableNetConnect());

describe('OpenAI Admin: spend limits and alerts', () => {
	it('sets a project spend limit typed in USD as whole cents, and shows it back in USD', async () => {
		let sent: unknown;
		nock(BASE)
			.post('/v1/organization/projects/proj_1/spend_limit', (body) => {
				sent = body;
				return true;
			})
			.reply(200, {
				object: 'project.spend_limit',
				threshold_amount: 9950,
				currency: 'USD',
				interval: 'month',
				enforcement: { status: 'active' },
			});
		const [limit] = await run({
			resource: 'spendLimit',
			operation: 'set',
			scope: 'project',
			projectId: 'proj_1',
			thresholdUsd: '99.50',
		});
		expect(sent).toEqual({ threshold_amount: 9950, currency: 'USD', interval: 'month' });
		expect(limit).toMatchObject({ threshold_amount: 9950, threshold_usd: '99.5' });
	});

	it('refuses an amount that is not whole cents, naming the field, before any request', async () => {
		for (const bad of ['-5', '1.234', 'abc', '0', '1e3', '']) {
			const error = await runError({
				resource: 'spendLimit',
				operation: 'set',
				scope: 'organization',
				thresholdUsd: bad,
			});
			expect(error.message).toMatch(/"Limit \(USD\)"/);
		}
		expect(nock.pendingMocks()).toEqual([]);
	});

	it('creates an organization alert emailing several recipients', async () => {
		let sent: unknown;
		nock(BASE)
			.post('/v1/organization/spend_alerts', (body) => {
				sent = body;
				return true;
			})
			.reply(200, {
				id: 'alert_1',
				object: 'organization.spend_alert',
				threshold_amount: 25000,
				currency: 'USD',
				interval: 'month',
				notification_channel: { type: 'email', recipients: ['a@example.com'] },
			});
		await run({
			resource: 'spendAlert',
			operation: 'create',
			scope: 'organization',
			thresholdUsd: '250',
			recipients: 'a@example.com, b@example.com',
		});
		expect(sent).toEqual({
			threshold_amount: 25000,
			currency: 'USD',
			interval: 'month',
			notification_channel: { type: 'email', recipients: ['a@example.com', 'b@example.com'] },
		});
	});
});

describe('OpenAI Admin: declared endpoints', () => {
	it('sends only the hosted tools the user chose to change', async () => {
		let sent: unknown;
		nock(BASE)
			.post('/v1/organization/projects/proj_1/hosted_tool_permissions', (body) => {
				sent = body;
				return true;
			})
			.reply(200, {});
		await run({
			resource: 'projectPermission',
			operation: 'updateHostedTools',
			projectId: 'proj_1',
			webSearch: 'disabled',
			mcp: 'enabled',
		});
		expect(sent).toEqual({ web_search: { enabled: false }, mcp: { enabled: true } });
	});

	it('activates at most 10 certificates at a time', async () => {
		const ids = Array.from({ length: 11 }, (_, n) => `cert_${n}`).join(',');
		const error = await runError({
			resource: 'certificate',
			operation: 'activate',
			scope: 'organization',
			certificateIds: ids,
		});
		expect(error.message).toBe('"Certificate IDs" must be at most 10 values, got 11 (item 0)');
	});

	it("follows a group list's next cursor to the end", async () => {
		const group = (id: string) => ({
			id,
			name: id,
			created_at: 1,
			is_scim_managed: false,
			group_type: 'group',
		});
		nock(BASE)
			.get('/v1/organization/groups')
			.query({ limit: 100 })
			.reply(200, { object: 'list', data: [group('g1')], has_more: true, next: 'cursor_2' })
			.get('/v1/organization/groups')
			.query({ limit: 100, after: 'cursor_2' })
			.reply(200, { object: 'list', data: [group('g2')], has_more: false, next: null });
		const groups = await run({ resource: 'group', operation: 'getAll', returnAll: true });
		expect(groups.map((g) => g.id)).toEqual(['g1', 'g2']);
	});

	it('puts ids into the path encoded, and refuses an empty one by name', async () => {
		nock(BASE)
			.delete('/v1/organization/groups/g%2F..%2Fx/users/user_1')
			.reply(200, { deleted: true });
		await run({ resource: 'groupUser', operation: 'remove', groupId: 'g/../x', userId: 'user_1' });
		const error = await runError({
			resource: 'groupUser',
			operation: 'remove',
			groupId: ' ',
			userId: 'u',
		});
		expect(error.message).toBe('"Group ID" is required (item 0)');
	});
});
