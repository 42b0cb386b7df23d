import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { dateSeconds, requiredString } from '../../../shared/fields';
import { openAi, show } from '../common';

export const description: INodeProperties[] = [
	{
		displayName: 'Name',
		name: 'name',
		type: 'string',
		required: true,
		default: '',
		description: 'Name of the new admin API key',
		displayOptions: show('adminApiKey', 'create'),
	},
	{
		displayName: 'Expires At',
		name: 'expiresAt',
		type: 'dateTime',
		default: '',
		description: 'When the key stops working. Leave empty for a key that does not expire.',
		displayOptions: show('adminApiKey', 'create'),
	},
	{
		displayName:
			'The key value is in the output of this node only once. Store it now; OpenAI never shows it again.',
		name: 'onceNotice',
		type: 'notice',
		default: '',
		displayOptions: show('adminApiKey', 'create'),
	},
];

export async function execute(this: IExecuteFunctions, i: number): Promise<IDataObject> {
	const body: IDataObject = { name: requiredString.call(this, 'name', 'Name', i) };
	const expiresAt = dateSeconds.call(this, 'expiresAt', 'Expires At', i);
	if (expiresAt !== undefined) body.expires_at = expiresAt;
	return await openAi.call(this, {
		method: 'POST',
		path: '/organization/admin_api_keys',
		body,
		itemIndex: i,
	});
}
