import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { returnAllOrLimit } from '../../../../common/fields';
import { openAiList } from '../common';

export const description: INodeProperties[] = [
	...returnAllOrLimit('project', 'getAll'),
	{
		displayName: 'Include Archived',
		name: 'includeArchived',
		type: 'boolean',
		default: false,
		description: 'Whether to include archived projects',
	},
];

export async function execute(this: IExecuteFunctions, i: number): Promise<IDataObject[]> {
	const includeArchived = this.getNodeParameter('includeArchived', i, false) as boolean;
	return await openAiList.call(this, {
		method: 'GET',
		path: '/organization/projects',
		query: { include_archived: includeArchived ? 'true' : undefined },
		itemIndex: i,
	});
}
