import type { IDataObject, INodeListSearchItems, INodeListSearchResult } from 'n8n-workflow';

/**
 * One page of a list search: the entries whose name or ID contains what the user typed
 * (case-insensitive), shown as "name (id)", and the token of the next page when there is one.
 */
export function listSearchPage(
	entries: IDataObject[],
	filter: string | undefined,
	field: { id: string; name: string },
	next: string | undefined,
): INodeListSearchResult {
	const wanted = (filter ?? '').trim().toLowerCase();
	const results: INodeListSearchItems[] = [];
	for (const entry of entries) {
		const id = String(entry[field.id] ?? '');
		if (!id) continue;
		const name = String(entry[field.name] ?? '') || id;
		if (wanted && !`${name} ${id}`.toLowerCase().includes(wanted)) continue;
		results.push({ name: name === id ? id : `${name} (${id})`, value: id });
	}
	return { results, paginationToken: next };
}
