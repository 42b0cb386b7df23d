import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { idField, requiredString } from '../../../../common/fields';
import { IAM, volcengine } from '../../api';
import { optionalUserName, userNameField } from '../common';

export const description: INodeProperties[] = [
	idField('apiKeyId', 'API Key ID', 'apiKey', 'update', '1234567'),
	userNameField('apiKey', 'update'),
	{
		displayName: 'Update Fields',
		name: 'updateFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		options: [
			{ displayName: 'Name', name: 'name', type: 'string', default: '' },
			{
				displayName: 'Status',
				name: 'status',
				type: 'options',
				options: [
					{ name: 'Active', value: 'active' },
					{ name: 'Inactive', value: 'inactive' },
				],
				default: 'active',
			},
		],
	},
];

export async function execute(this: IExecuteFunctions, i: number): Promise<IDataObject> {
	const id = requiredString.call(this, 'apiKeyId', 'API Key ID', i);
	const fields = this.getNodeParameter('updateFields', i, {}) as IDataObject;
	const name = typeof fields.name === 'string' ? fields.name.trim() : '';
	const status = fields.status as string | undefined;
	if (!name && !status) {
		throw new NodeOperationError(this.getNode(), `Nothing to update (item ${i})`, {
			itemIndex: i,
			description: 'Add "Name" or "Status" under "Update Fields"',
		});
	}
	await volcengine.call(this, {
		...IAM,
		action: 'UpdateApiKey',
		query: {
			Id: id,
			Name: name || undefined,
			Status: status,
			UserName: optionalUserName.call(this, i),
		},
		idempotent: true,
		itemIndex: i,
	});
	return { id, ...(name ? { name } : {}), ...(status ? { status } : {}) };
}
