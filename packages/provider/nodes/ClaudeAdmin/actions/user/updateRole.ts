import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { anthropic } from '../common';
import { userPath } from './get';

export const description: INodeProperties[] = [];

export async function execute(this: IExecuteFunctions, i: number): Promise<IDataObject> {
	const body = { role: this.getNodeParameter('role', i) as string };
	return await anthropic.call(this, {
		method: 'POST',
		path: userPath.call(this, i),
		body,
		itemIndex: i,
	});
}
