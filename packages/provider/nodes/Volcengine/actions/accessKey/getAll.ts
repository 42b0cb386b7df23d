import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { readLimit, returnAllOrLimit } from '../../../../common/fields';
import { IAM, volcengine } from '../../api';
import { optionalUserName, userNameField } from '../common';

export const description: INodeProperties[] = [
	userNameField('accessKey', 'getAll'),
	...returnAllOrLimit('accessKey', 'getAll'),
];

export async function execute(this: IExecuteFunctions, i: number): Promise<IDataObject[]> {
	const limit = readLimit.call(this, i);
	const result = await volcengine.call(this, {
		...IAM,
		action: 'ListAccessKeys',
		query: { UserName: optionalUserName.call(this, i) },
		idempotent: true,
		itemIndex: i,
	});
	const keys = Array.isArray(result.AccessKeyMetadata)
		? (result.AccessKeyMetadata as IDataObject[])
		: [];
	return limit === undefined ? keys : keys.slice(0, limit);
}
