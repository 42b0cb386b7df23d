import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { anthropic } from '../common';
import { userPath } from './get';

export const description: INodeProperties[] = [];

export async function execute(this: IExecuteFunctions, i: number): Promise<IDataObject> {
	return await anthropic.call(this, {
		method: 'DELETE',
		path: userPath.call(this, i),
		itemIndex: i,
	});
}
