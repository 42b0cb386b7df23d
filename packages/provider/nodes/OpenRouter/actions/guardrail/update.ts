import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { show } from '../../../../common/fields';
import { segment } from '../../../../transport/provider';
import { openRouterData } from '../../api';
import { guardrailBody, guardrailId, guardrailSettings, RESOURCE } from './fields';

export const description: INodeProperties[] = [
	{
		displayName: 'Update Fields',
		name: 'updateFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		displayOptions: show(RESOURCE, 'update'),
		options: [
			{ displayName: 'Name', name: 'name', type: 'string', default: '' },
			...guardrailSettings,
		],
	},
];

export async function execute(this: IExecuteFunctions, i: number): Promise<IDataObject> {
	const id = guardrailId.call(this, i);
	const fields = this.getNodeParameter('updateFields', i, {}) as IDataObject;
	const body = guardrailBody.call(this, fields, i);
	if (fields.name !== undefined) {
		const name = String(fields.name).trim();
		if (!name) {
			throw new NodeOperationError(this.getNode(), `"Name" must not be empty (item ${i})`, {
				itemIndex: i,
			});
		}
		body.name = name;
	}
	return await openRouterData.call(this, {
		method: 'PATCH',
		path: `/guardrails/${segment(id)}`,
		body,
		itemIndex: i,
	});
}
