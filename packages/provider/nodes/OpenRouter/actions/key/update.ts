import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { openRouterData } from '../../api';
import { keySettings, keySettingsBody } from './fields';
import { keyPath } from './get';

export const description: INodeProperties[] = [
	{
		displayName: 'Update Fields',
		name: 'updateFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		options: [
			{
				displayName: 'Disabled',
				name: 'disabled',
				type: 'boolean',
				default: true,
				description: 'Whether the key is switched off',
			},
			{ displayName: 'Name', name: 'name', type: 'string', default: '' },
			...keySettings,
		],
	},
];

export async function execute(this: IExecuteFunctions, i: number): Promise<IDataObject> {
	const fields = this.getNodeParameter('updateFields', i, {}) as IDataObject;
	const body: IDataObject = keySettingsBody.call(this, fields, i);
	if (typeof fields.name === 'string' && fields.name.trim()) body.name = fields.name.trim();
	if (fields.disabled !== undefined) body.disabled = fields.disabled === true;
	if (!Object.keys(body).length) {
		throw new NodeOperationError(this.getNode(), `Nothing to update (item ${i})`, {
			itemIndex: i,
			description: 'Add a field under "Update Fields"',
		});
	}
	return await openRouterData.call(this, {
		method: 'PATCH',
		path: keyPath.call(this, i),
		body,
		itemIndex: i,
	});
}
