import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { idField, requiredString } from '../../../../common/fields';
import { alreadyGoneField, deleting } from '../../../../transport/alreadyGone';
import { IAM, volcengine } from '../../api';
import { optionalUserName, userNameField } from '../common';

export const description: INodeProperties[] = [
	idField('accessKeyId', 'Access Key ID', 'accessKey', 'delete', 'AKLT...'),
	userNameField('accessKey', 'delete'),
	alreadyGoneField('accessKey', 'delete'),
];

export async function execute(this: IExecuteFunctions, i: number): Promise<IDataObject> {
	const accessKeyId = requiredString.call(this, 'accessKeyId', 'Access Key ID', i);
	const userName = optionalUserName.call(this, i);
	const { alreadyGone } = await deleting.call(
		this,
		i,
		async () =>
			await volcengine.call(this, {
				...IAM,
				action: 'DeleteAccessKey',
				query: { AccessKeyId: accessKeyId, UserName: userName },
				idempotent: true,
				itemIndex: i,
			}),
	);
	return {
		accessKeyId,
		...(userName ? { userName } : {}),
		deleted: true,
		already_gone: alreadyGone,
	};
}
