import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { listAll } from '../../../transport/paginate';
import { openRouterApi } from '../api';

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A workspace ID as `/keys` takes it: a UUID. */
export function readWorkspaceId(this: IExecuteFunctions, value: string, i: number): string {
	if (!UUID.test(value)) {
		throw new NodeOperationError(
			this.getNode(),
			`"Workspace ID" must be a workspace UUID, got "${value}" (item ${i})`,
			{ itemIndex: i },
		);
	}
	return value;
}

/** Every workspace of the organization (`GET /workspaces`, offset paging, 100 a page). */
export async function listWorkspaces(this: IExecuteFunctions, i: number): Promise<IDataObject[]> {
	return await listAll.call(
		this,
		openRouterApi,
		{ method: 'GET', path: '/workspaces', itemIndex: i },
		{ style: 'offset', offsetParam: 'offset', limitParam: 'limit', pageSize: 100 },
	);
}
