import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { returnAllOrLimit } from '../../../../common/fields';
import { anthropicList } from '../common';
import { membersPath } from './common';

export const description: INodeProperties[] = returnAllOrLimit('workspaceMember', 'getAll');

export async function execute(this: IExecuteFunctions, i: number): Promise<IDataObject[]> {
	return await anthropicList.call(this, {
		method: 'GET',
		path: membersPath.call(this, i, false),
		itemIndex: i,
	});
}
