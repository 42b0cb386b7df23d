import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { returnAllOrLimit } from '../../../../common/fields';
import { openAiList } from '../common';

export const description: INodeProperties[] = [...returnAllOrLimit('adminApiKey', 'getAll')];

export async function execute(this: IExecuteFunctions, i: number): Promise<IDataObject[]> {
	return await openAiList.call(this, {
		method: 'GET',
		path: '/organization/admin_api_keys',
		query: { order: 'asc' },
		itemIndex: i,
	});
}
