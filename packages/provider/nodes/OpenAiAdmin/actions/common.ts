import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { listAll } from '../../../transport/paginate';
import { apiBody } from '../../../transport/request';
import type { ApiRequest } from '../../../transport/provider';
import { readLimit } from '../../../common/fields';
import { listPages, openAiApi } from '../api';

export { idField, show } from '../../../common/fields';

export async function openAi(this: IExecuteFunctions, request: ApiRequest): Promise<IDataObject> {
	return (await apiBody.call(this, openAiApi, request)) as IDataObject;
}

/** An OpenAI object list, honouring the node's "Return All" / "Limit". */
export async function openAiList(
	this: IExecuteFunctions,
	request: ApiRequest,
): Promise<IDataObject[]> {
	const limit = readLimit.call(this, request.itemIndex);
	return await listAll.call(this, openAiApi, request, listPages, { limit });
}

/** A comma-separated list filter inside a "Filters" collection. */
export function idListOption(name: string, displayName: string, what: string): INodeProperties {
	return { displayName, name, type: 'string', default: '', description: `Comma-separated ${what}` };
}
