import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { requiredString } from '../../../shared/fields';
import { openRouter } from '../../api';
import { keyPath } from './get';

export const description: INodeProperties[] = [];

export async function execute(this: IExecuteFunctions, i: number): Promise<IDataObject> {
	const response = await openRouter.call(this, {
		method: 'DELETE',
		path: keyPath.call(this, i),
		itemIndex: i,
	});
	return {
		hash: requiredString.call(this, 'keyHash', 'Key Hash', i),
		deleted: response.deleted !== false,
	};
}
