import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { withWorkspace } from './common';
import { NodeOperationError } from 'n8n-workflow';

import { requiredString } from '../../../../common/fields';
import { segment } from '../../../../transport/provider';
import { anthropic } from '../common';

export const description: INodeProperties[] = [
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
					{
						name: 'Archived',
						value: 'archived',
						description: 'Permanent: an archived key cannot be used again',
					},
					{ name: 'Inactive', value: 'inactive' },
				],
				default: 'inactive',
			},
		],
	},
];

export async function execute(this: IExecuteFunctions, i: number): Promise<IDataObject> {
	const id = requiredString.call(this, 'apiKeyId', 'API Key ID', i);
	const fields = this.getNodeParameter('updateFields', i, {}) as IDataObject;
	const body: IDataObject = {};
	if (typeof fields.name === 'string' && fields.name.trim()) body.name = fields.name.trim();
	if (fields.status) body.status = fields.status;
	if (!Object.keys(body).length) {
		throw new NodeOperationError(this.getNode(), `Nothing to update (item ${i})`, {
			itemIndex: i,
			description: 'Add "Name" or "Status" under "Update Fields"',
		});
	}
	return withWorkspace(
		await anthropic.call(this, {
			method: 'POST',
			path: `/organizations/api_keys/${segment(id)}`,
			body,
			itemIndex: i,
		}),
	);
}
