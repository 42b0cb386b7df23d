import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { apiBody } from './request';
import type { ApiRequest, ProviderApi, Query } from './provider';

/**
 * How a list endpoint pages:
 * - cursor: `after=<last id>` (OpenAI lists) or `after_id=` (Anthropic) until `has_more` is false;
 * - page: an opaque `page=<next_page>` token until `has_more` is false or `next_page` null;
 * - offset: `offset=N` until a short page.
 * The paging parameters go in the query string, or in the JSON body with `paramsIn: 'body'`.
 */
export type Pagination = (
	| { style: 'cursor'; cursorParam: string; limitParam?: string; pageSize: number }
	| { style: 'page'; pageParam: string; limitParam?: string; pageSize?: number }
	| { style: 'offset'; offsetParam: string; limitParam?: string; pageSize: number }
) & { paramsIn?: 'query' | 'body' };

export interface ListOptions {
	/** Stop after this many items; undefined reads everything. */
	limit?: number;
	/** Turns one response body into the items it holds. Defaults to `body.data`. */
	extract?: (body: IDataObject) => IDataObject[];
	/** Safety stop against a provider that never says it is done. */
	maxPages?: number;
}

const DEFAULT_MAX_PAGES = 10_000;

function defaultExtract(body: IDataObject): IDataObject[] {
	return Array.isArray(body.data) ? (body.data as IDataObject[]) : [];
}

function definedOnly(params: Query): IDataObject {
	const result: IDataObject = {};
	for (const [key, value] of Object.entries(params)) if (value !== undefined) result[key] = value;
	return result;
}

function nextCursor(body: IDataObject, items: IDataObject[]): string | undefined {
	if (typeof body.next === 'string' && body.next) return body.next;
	if (typeof body.last_id === 'string' && body.last_id) return body.last_id;
	const last = items[items.length - 1];
	return typeof last?.id === 'string' ? last.id : undefined;
}

/** Reads a list endpoint page by page until it ends or `limit` items are collected. */
export async function listAll(
	this: IExecuteFunctions,
	api: ProviderApi,
	request: ApiRequest,
	pagination: Pagination,
	options: ListOptions = {},
): Promise<IDataObject[]> {
	const extract = options.extract ?? defaultExtract;
	const maxPages = options.maxPages ?? DEFAULT_MAX_PAGES;
	const results: IDataObject[] = [];
	let params: Query = {};
	// Cursor and offset pages count items, so a small Limit asks for a small page; report pages
	// count time buckets, which hold any number of items, so they always ask for a full page.
	const pageCountsItems = pagination.style !== 'page';
	const pageLimit = (collected: number): number | undefined =>
		pagination.pageSize === undefined
			? undefined
			: pageCountsItems && options.limit !== undefined
				? Math.min(pagination.pageSize, options.limit - collected)
				: pagination.pageSize;
	if (pagination.limitParam) params[pagination.limitParam] = pageLimit(0);
	const pageRequest = (): ApiRequest =>
		pagination.paramsIn === 'body'
			? {
					...request,
					body: { ...(request.body as IDataObject | undefined), ...definedOnly(params) },
				}
			: { ...request, query: { ...request.query, ...params } };

	for (let page = 0; page < maxPages; page++) {
		const body = (await apiBody.call(this, api, pageRequest())) as IDataObject;
		if (typeof body !== 'object' || body === null) {
			throw new NodeOperationError(
				this.getNode(),
				`${api.displayName} returned an unexpected list response`,
				{
					itemIndex: request.itemIndex,
					description: `${request.method} ${request.path} did not return a JSON object`,
				},
			);
		}
		const items = extract(body);
		for (const item of items) {
			results.push(item);
			if (options.limit !== undefined && results.length >= options.limit) return results;
		}

		let next: Query | undefined;
		if (pagination.style === 'cursor') {
			const cursor = body.has_more === true ? nextCursor(body, items) : undefined;
			if (cursor) next = { [pagination.cursorParam]: cursor };
		} else if (pagination.style === 'page') {
			// Reports say `has_more`; newer lists (spend limits, rate limits) give only `next_page`,
			// null at the end.
			const token = body.next_page;
			if (body.has_more !== false && typeof token === 'string' && token)
				next = { [pagination.pageParam]: token };
		} else {
			const requested = pageLimit(results.length - items.length) ?? pagination.pageSize;
			const offset =
				Number(
					params[pagination.offsetParam] ??
						(pagination.paramsIn === 'body'
							? (request.body as IDataObject | undefined)?.[pagination.offsetParam]
							: request.query?.[pagination.offsetParam]) ??
						0,
				) + items.length;
			if (items.length > 0 && items.length >= requested)
				next = { [pagination.offsetParam]: offset };
		}
		if (!next) return results;
		params = { ...params, ...next };
		if (pagination.limitParam) params[pagination.limitParam] = pageLimit(results.length);
	}
	throw new NodeOperationError(
		this.getNode(),
		`${api.displayName} kept returning more pages after ${maxPages}`,
		{
			itemIndex: request.itemIndex,
		},
	);
}

/**
 * Usage and cost reports (OpenAI, Anthropic) answer `{ data: [bucket] }`, each bucket holding its
 * `results`: one item per result, with the fields `bucketFields` takes from its bucket.
 */
export function bucketResults(
	bucketFields: (bucket: IDataObject) => IDataObject,
): (body: IDataObject) => IDataObject[] {
	return (body) =>
		((body.data as IDataObject[] | undefined) ?? []).flatMap((bucket) =>
			((bucket.results as IDataObject[] | undefined) ?? []).map((result) => ({
				...result,
				...bucketFields(bucket),
			})),
		);
}
