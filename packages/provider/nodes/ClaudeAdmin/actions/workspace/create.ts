import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { requiredString } from '../../../../common/fields';
import { anthropic, show } from '../common';

export const description: INodeProperties[] = [
	{
		displayName: 'Name',
		name: 'name',
		type: 'string',
		required: true,
		default: '',
		displayOptions: show('workspace', ['create', 'update']),
	},
];

export async function execute(this: IExecuteFunctions, i: number): Promise<IDataObject> {
	const name = requiredString.call(this, 'name', 'Name', i);
	return await anthropic.call(this, {
		method: 'POST',
		path: '/organizations/workspaces',
		body: { name },
		itemIndex: i,
	});
}
