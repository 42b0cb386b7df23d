import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { requiredString } from '../../../../common/fields';
import { alreadyGoneField, deleting } from '../../../../transport/alreadyGone';
import { openRouter } from '../../api';
import { keyPath } from './get';

export const description: INodeProperties[] = [alreadyGoneField('key', 'delete')];

export async function execute(this: IExecuteFunctions, i: number): Promise<IDataObject> {
	const path = keyPath.call(this, i);
	const { result, alreadyGone } = await deleting.call(
		this,
		i,
		async () => await openRouter.call(this, { method: 'DELETE', path, itemIndex: i }),
	);
	return {
		hash: requiredString.call(this, 'keyHash', 'Key Hash', i),
		deleted: alreadyGone || (result as IDataObject | undefined)?.deleted !== false,
		already_gone: alreadyGone,
	};
}
