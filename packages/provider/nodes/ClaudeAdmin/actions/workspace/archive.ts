import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { segment } from '../../../../transport/provider';
import { anthropic, workspaceId } from '../common';

export const description: INodeProperties[] = [];

export async function execute(this: IExecuteFunctions, i: number): Promise<IDataObject> {
	const id = workspaceId.call(this, 'workspaceId', i) as string;
	return await anthropic.call(this, {
		method: 'POST',
		path: `/organizations/workspaces/${segment(id)}/archive`,
		itemIndex: i,
	});
}
