import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { returnAllOrLimit } from '../../../../common/fields';
import { anthropicList, workspaceId } from '../common';
import { withWorkspace } from './common';

export const description: INodeProperties[] = [
	...returnAllOrLimit('apiKey', 'getAll'),
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		options: [
			{ displayName: 'Created By User ID', name: 'createdByUserId', type: 'string', default: '' },
			{
				displayName: 'Status',
				name: 'status',
				type: 'options',
				options: [
					{ name: 'Active', value: 'active' },
					{ name: 'Archived', value: 'archived' },
					{ name: 'Expired', value: 'expired' },
					{ name: 'Inactive', value: 'inactive' },
				],
				default: 'active',
			},
			{ displayName: 'Workspace ID', name: 'workspaceId', type: 'string', default: '' },
		],
	},
];

export async function execute(this: IExecuteFunctions, i: number): Promise<IDataObject[]> {
	const filters = this.getNodeParameter('filters', i, {}) as IDataObject;
	const keys = await anthropicList.call(this, {
		method: 'GET',
		path: '/organizations/api_keys',
		query: {
			status: filters.status as string | undefined,
			workspace_id: workspaceId.call(this, 'filters.workspaceId', i, false),
			created_by_user_id: (filters.createdByUserId as string | undefined)?.trim() || undefined,
		},
		itemIndex: i,
	});
	return keys.map(withWorkspace);
}
