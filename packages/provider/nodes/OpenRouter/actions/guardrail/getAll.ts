import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { readLimit, returnAllOrLimit, show } from '../../../../common/fields';
import { listAll } from '../../../../transport/paginate';
import { openRouterApi } from '../../api';
import { readWorkspaceId } from '../workspaces';
import { RESOURCE } from './fields';

/** Guardrails and assignments page by offset, at most 100 a page. */
export const guardrailPages = {
	style: 'offset',
	offsetParam: 'offset',
	limitParam: 'limit',
	pageSize: 100,
} as const;

export const description: INodeProperties[] = [
	{
		displayName: 'Workspace ID',
		name: 'workspaceId',
		type: 'string',
		default: '',
		placeholder: '0df9e665-d932-4de0-b2de-2d2e7a4c2a6e',
		description: 'The workspace whose guardrails to list; empty for the default workspace',
		displayOptions: show(RESOURCE, 'getAll'),
	},
	...returnAllOrLimit(RESOURCE, 'getAll'),
];

export async function execute(this: IExecuteFunctions, i: number): Promise<IDataObject[]> {
	const workspace = String(this.getNodeParameter('workspaceId', i, '') ?? '').trim();
	return await listAll.call(
		this,
		openRouterApi,
		{
			method: 'GET',
			path: '/guardrails',
			query: { workspace_id: workspace ? readWorkspaceId.call(this, workspace, i) : undefined },
			itemIndex: i,
		},
		guardrailPages,
		{ limit: readLimit.call(this, i) },
	);
}
