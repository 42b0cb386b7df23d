import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { anthropic } from '../common';
import { membersPath } from './common';

export const description: INodeProperties[] = [];

export async function execute(this: IExecuteFunctions, i: number): Promise<IDataObject> {
	const body = { workspace_role: this.getNodeParameter('workspaceRole', i) as string };
	return await anthropic.call(this, {
		method: 'POST',
		path: membersPath.call(this, i, true),
		body,
		itemIndex: i,
	});
}
