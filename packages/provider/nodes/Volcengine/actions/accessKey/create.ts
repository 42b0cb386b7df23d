import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { IAM, volcengine } from '../../api';
import { optionalUserName, userNameField } from '../common';

export const description: INodeProperties[] = [
	userNameField('accessKey', 'create'),
	{
		displayName:
			'The Secret Access Key is in the output of this run only: Volcengine never shows it again. Store it or pass it on in this workflow.',
		name: 'secretNotice',
		type: 'notice',
		default: '',
		displayOptions: { show: { resource: ['accessKey'], operation: ['create'] } },
	},
];

export async function execute(this: IExecuteFunctions, i: number): Promise<IDataObject> {
	const userName = optionalUserName.call(this, i);
	const result = await volcengine.call(this, {
		...IAM,
		action: 'CreateAccessKey',
		query: { UserName: userName },
		// CreateAccessKey is a GET, but repeating it after a lost response could make a second key.
		idempotent: false,
		itemIndex: i,
	});
	return (result.AccessKey as IDataObject | undefined) ?? result;
}
