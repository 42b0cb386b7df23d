import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { idField, requiredString } from '../../../../common/fields';
import { IAM, volcengine } from '../../api';
import { optionalUserName, readStatus, statusField, userNameField } from '../common';

export const description: INodeProperties[] = [
	idField('accessKeyId', 'Access Key ID', 'accessKey', 'updateStatus', 'AKLT...'),
	statusField('accessKey', 'updateStatus', true),
	userNameField('accessKey', 'updateStatus'),
];

export async function execute(this: IExecuteFunctions, i: number): Promise<IDataObject> {
	const accessKeyId = requiredString.call(this, 'accessKeyId', 'Access Key ID', i);
	const status = readStatus.call(this, i);
	const userName = optionalUserName.call(this, i);
	await volcengine.call(this, {
		...IAM,
		action: 'UpdateAccessKey',
		query: { AccessKeyId: accessKeyId, Status: status, UserName: userName },
		idempotent: true,
		itemIndex: i,
	});
	return { accessKeyId, ...(userName ? { userName } : {}), status };
}
