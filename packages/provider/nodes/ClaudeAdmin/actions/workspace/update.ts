import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { requiredString } from '../../../../common/fields';
import { segment } from '../../../../transport/provider';
import { anthropic, workspaceId } from '../common';

export const description: INodeProperties[] = [];

export async function execute(this: IExecuteFunctions, i: number): Promise<IDataObject> {
	const id = workspaceId.call(this, 'workspaceId', i) as string;
	const name = requiredString.call(this, 'name', 'Name', i);
	return await anthropic.call(this, {
		method: 'POST',
		path: `/organizations/workspaces/${segment(id)}`,
		body: { name },
		itemIndex: i,
	});
}
