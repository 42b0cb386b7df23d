import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { returnAllOrLimit } from '../../../../common/fields';
import { anthropicList } from '../common';

export const description: INodeProperties[] = [
	...returnAllOrLimit('workspace', 'getAll'),
	{
		displayName: 'Include Archived',
		name: 'includeArchived',
		type: 'boolean',
		default: false,
		description: 'Whether to list archived workspaces too',
	},
];

export async function execute(this: IExecuteFunctions, i: number): Promise<IDataObject[]> {
	const includeArchived = this.getNodeParameter('includeArchived', i, false) as boolean;
	return await anthropicList.call(this, {
		method: 'GET',
		path: '/organizations/workspaces',
		query: { include_archived: includeArchived ? 'true' : undefined },
		itemIndex: i,
	});
}
