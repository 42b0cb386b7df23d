import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { anthropic } from '../common';
import { membersPath } from './common';

export const description: INodeProperties[] = [];

export async function execute(this: IExecuteFunctions, i: number): Promise<IDataObject> {
	return await anthropic.call(this, {
		method: 'GET',
		path: membersPath.call(this, i, true),
		itemIndex: i,
	});
}
