import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { idField, requiredString } from '../../../../common/fields';
import { IAM, volcengine } from '../../api';
import { optionalUserName, userNameField } from '../common';

export const description: INodeProperties[] = [
	idField('apiKeyId', 'API Key ID', 'apiKey', 'delete', '1234567'),
	userNameField('apiKey', 'delete'),
];

export async function execute(this: IExecuteFunctions, i: number): Promise<IDataObject> {
	const id = requiredString.call(this, 'apiKeyId', 'API Key ID', i);
	await volcengine.call(this, {
		...IAM,
		action: 'DeleteApiKey',
		query: { Id: id, UserName: optionalUserName.call(this, i) },
		idempotent: true,
		itemIndex: i,
	});
	return { id, deleted: true };
}
