import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { segment } from '../../../../transport/provider';
import { anthropic, workspaceId, workspaceIdField } from '../common';

export const description: INodeProperties[] = [
	workspaceIdField('workspace', ['get', 'update', 'archive']),
];

export async function execute(this: IExecuteFunctions, i: number): Promise<IDataObject> {
	const id = workspaceId.call(this, 'workspaceId', i) as string;
	return await anthropic.call(this, {
		method: 'GET',
		path: `/organizations/workspaces/${segment(id)}`,
		itemIndex: i,
	});
}
