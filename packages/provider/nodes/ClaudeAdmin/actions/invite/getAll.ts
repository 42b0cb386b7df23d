import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { returnAllOrLimit } from '../../../../common/fields';
import { anthropicList } from '../common';

export const description: INodeProperties[] = returnAllOrLimit('invite', 'getAll');

export async function execute(this: IExecuteFunctions, i: number): Promise<IDataObject[]> {
	return await anthropicList.call(this, {
		method: 'GET',
		path: '/organizations/invites',
		itemIndex: i,
	});
}
