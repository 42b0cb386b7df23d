import type { IDataObject, ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';

import { listSearchPage } from '../../transport/listSearch';
import { apiBody } from '../../transport/request';
import { anthropicApi } from './api';

/** One page (100) of an Admin API list, from the ID the previous page ended at. */
async function page(
	this: ILoadOptionsFunctions,
	path: string,
	afterId: string | undefined,
): Promise<{ data: IDataObject[]; next?: string }> {
	const body = (await apiBody.call(this, anthropicApi, {
		method: 'GET',
		path,
		query: { limit: 100, after_id: afterId },
		itemIndex: 0,
	})) as IDataObject;
	const data = (body.data as IDataObject[] | undefined) ?? [];
	return { data, next: body.has_more && body.last_id ? String(body.last_id) : undefined };
}

export async function searchWorkspaces(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	const { data, next } = await page.call(this, '/organizations/workspaces', paginationToken);
	return listSearchPage(data, filter, { id: 'id', name: 'name' }, next);
}

export async function searchApiKeys(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	const { data, next } = await page.call(this, '/organizations/api_keys', paginationToken);
	return listSearchPage(data, filter, { id: 'id', name: 'name' }, next);
}
