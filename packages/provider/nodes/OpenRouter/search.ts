import type { IDataObject, ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';

import { listSearchPage } from '../../transport/listSearch';
import { apiBody } from '../../transport/request';
import { keyPages, openRouterApi } from './api';

/** Keys 100 at a time by offset; a full page means there may be more. */
export async function searchKeys(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	const offset = Number(paginationToken ?? 0) || 0;
	const body = (await apiBody.call(this, openRouterApi, {
		method: 'GET',
		path: '/keys',
		query: { offset: offset || undefined, include_disabled: 'true' },
		itemIndex: 0,
	})) as IDataObject;
	const data = (body.data as IDataObject[] | undefined) ?? [];
	const next = data.length >= keyPages.pageSize ? String(offset + data.length) : undefined;
	return listSearchPage(data, filter, { id: 'hash', name: 'name' }, next);
}
