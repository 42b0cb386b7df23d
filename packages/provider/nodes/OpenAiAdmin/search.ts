import type { IDataObject, ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';

import { listSearchPage } from '../../transport/listSearch';
import { segment } from '../../transport/provider';
import { apiBody } from '../../transport/request';
import { openAiApi } from './api';

/** One page (100) of an OpenAI object list, from the cursor the previous page ended at. */
async function page(
	this: ILoadOptionsFunctions,
	path: string,
	after: string | undefined,
): Promise<{ data: IDataObject[]; next?: string }> {
	const body = (await apiBody.call(this, openAiApi, {
		method: 'GET',
		path,
		query: { limit: 100, after },
		itemIndex: 0,
	})) as IDataObject;
	const data = (body.data as IDataObject[] | undefined) ?? [];
	const last = body.last_id ?? data[data.length - 1]?.id;
	return { data, next: body.has_more && last ? String(last) : undefined };
}

function currentProject(this: ILoadOptionsFunctions): string {
	const value = this.getCurrentNodeParameter('projectId', { extractValue: true }) as unknown;
	return typeof value === 'string' ? value.trim() : '';
}

export async function searchProjects(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	const { data, next } = await page.call(this, '/organization/projects', paginationToken);
	return listSearchPage(data, filter, { id: 'id', name: 'name' }, next);
}

/** One page of a list below the project chosen in the node; nothing before one is chosen. */
async function projectList(
	this: ILoadOptionsFunctions,
	below: string,
	filter: string | undefined,
	paginationToken: string | undefined,
): Promise<INodeListSearchResult> {
	const project = currentProject.call(this);
	if (!project) return { results: [] };
	const { data, next } = await page.call(
		this,
		`/organization/projects/${segment(project)}/${below}`,
		paginationToken,
	);
	return listSearchPage(data, filter, { id: 'id', name: 'name' }, next);
}

export async function searchServiceAccounts(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	return await projectList.call(this, 'service_accounts', filter, paginationToken);
}

export async function searchProjectApiKeys(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	return await projectList.call(this, 'api_keys', filter, paginationToken);
}
