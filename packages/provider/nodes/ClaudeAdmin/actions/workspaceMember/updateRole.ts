import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { anthropic } from '../common';
import { membersPath, readRole } from './common';

export const description: INodeProperties[] = [];

export async function execute(this: IExecuteFunctions, i: number): Promise<IDataObject> {
	const body = { workspace_role: readRole.call(this, i, false) };
	return await anthropic.call(this, {
		method: 'POST',
		path: membersPath.call(this, i, true),
		body,
		itemIndex: i,
	});
}
