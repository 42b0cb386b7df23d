import nock from 'nock';
import type { ICredentialType, IExecuteFunctions, INodeType } from 'n8n-workflow';

import { listAll } from '../../packages/provider/transport/paginate';
import type { ProviderApi } from '../../packages/provider/transport/provider';
import { createExecuteContext } from '../helpers/executeContext';

const BASE = 'https://offset.example.test';
const credentialType: ICredentialType = {
	name: 'offsetApi',
	displayName: 'Offset API',
	properties: [],
	authenticate: {
		type: 'generic',
		properties: { headers: { Authorization: '=Bearer {{$credentials.key}}' } },
	},
};
const nodeType = { description: { name: 'offsetTest', properties: [] } } as unknown as INodeType;
const api: ProviderApi = {
	displayName: 'Offset API',
	credentialType: 'offsetApi',
	baseUrl: () => `${BASE}/api/v1`,
	secretFields: ['key'],
	arrayFormat: 'repeat',
	errorMessage: () => undefined,
	unauthorizedMessage: 'rejected',
};

function context(): IExecuteFunctions {
	return createExecuteContext({
		nodeType,
		credentialType,
		credentials: { key: 'k-123456' },
		parameters: {},
	});
}

afterEach(() => nock.cleanAll());

describe('offset pagination', () => {
	it('reads pages until a short one and asks for a smaller page when a limit is near', async () => {
		const keys = (from: number, n: number) =>
			Array.from({ length: n }, (_, i) => ({ hash: `h${from + i}` }));
		nock(BASE)
			.get('/api/v1/keys')
			.query({ offset: 0, limit: 2 })
			.reply(200, { data: keys(0, 2) })
			.get('/api/v1/keys')
			.query({ offset: 2, limit: 2 })
			.reply(200, { data: keys(2, 2) })
			.get('/api/v1/keys')
			.query({ offset: 4, limit: 2 })
			.reply(200, { data: keys(4, 1) });
		const pagination = {
			style: 'offset',
			offsetParam: 'offset',
			limitParam: 'limit',
			pageSize: 2,
		} as const;
		const all = await listAll.call(
			context(),
			api,
			{ method: 'GET', path: '/keys', query: { offset: 0 }, itemIndex: 0 },
			pagination,
		);
		expect(all.map((k) => k.hash)).toEqual(['h0', 'h1', 'h2', 'h3', 'h4']);

		nock(BASE)
			.get('/api/v1/keys')
			.query({ offset: 0, limit: 2 })
			.reply(200, { data: keys(0, 2) })
			.get('/api/v1/keys')
			.query({ offset: 2, limit: 1 })
			.reply(200, { data: keys(2, 1) });
		const three = await listAll.call(
			context(),
			api,
			{ method: 'GET', path: '/keys', query: { offset: 0 }, itemIndex: 0 },
			pagination,
			{
				limit: 3,
			},
		);
		expect(three.map((k) => k.hash)).toEqual(['h0', 'h1', 'h2']);
	});

	it('stops with a clear error when a provider never stops paging', async () => {
		nock(BASE)
			.get('/api/v1/items')
			.query(true)
			.times(3)
			.reply(200, { data: [{ id: 'same' }], has_more: true, last_id: 'same' });
		const pagination = {
			style: 'cursor',
			cursorParam: 'after',
			limitParam: 'limit',
			pageSize: 1,
		} as const;
		await expect(
			listAll.call(context(), api, { method: 'GET', path: '/items', itemIndex: 0 }, pagination, {
				maxPages: 3,
			}),
		).rejects.toThrow(/kept returning more pages after 3/);
	});
});
