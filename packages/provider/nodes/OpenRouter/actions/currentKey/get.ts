import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { openRouterData } from '../../api';

export const description: INodeProperties[] = [];

export async function execute(this: IExecuteFunctions, i: number): Promise<IDataObject> {
	return await openRouterData.call(this, { method: 'GET', path: '/key', itemIndex: i });
}
