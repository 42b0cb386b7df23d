import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { IAM, volcengine } from '../../api';
import { optionalUserName, userNameField } from '../common';

export const description: INodeProperties[] = [
	{
		displayName: 'Name',
		name: 'name',
		type: 'string',
		default: '',
		description: 'Name of the API key, up to 128 characters',
	},
	userNameField('apiKey', 'create'),
];

export async function execute(this: IExecuteFunctions, i: number): Promise<IDataObject> {
	const name = (this.getNodeParameter('name', i, '') as string).trim();
	const result = await volcengine.call(this, {
		...IAM,
		action: 'CreateApiKey',
		query: { Name: name || undefined, UserName: optionalUserName.call(this, i) },
		idempotent: false,
		itemIndex: i,
	});
	return (result.ApiKey as IDataObject | undefined) ?? result;
}
