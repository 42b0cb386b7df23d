import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { requiredString, show } from '../../../../common/fields';
import { openRouterData } from '../../api';
import { readWorkspaceId } from '../workspaces';
import { guardrailBody, guardrailSettings, RESOURCE } from './fields';

export const description: INodeProperties[] = [
	{
		displayName:
			'A new guardrail enforces nothing until it is assigned to keys or members (Guardrail → Assign)',
		name: 'guardrailNotice',
		type: 'notice',
		default: '',
		displayOptions: show(RESOURCE, 'create'),
	},
	{
		displayName: 'Name',
		name: 'name',
		type: 'string',
		required: true,
		default: '',
		displayOptions: show(RESOURCE, 'create'),
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: show(RESOURCE, 'create'),
		options: [
			...guardrailSettings,
			{
				displayName: 'Workspace ID',
				name: 'workspaceId',
				type: 'string',
				default: '',
				placeholder: '0df9e665-d932-4de0-b2de-2d2e7a4c2a6e',
				description: 'The workspace it belongs to; empty for the default workspace',
			},
		],
	},
];

export async function execute(this: IExecuteFunctions, i: number): Promise<IDataObject> {
	const options = this.getNodeParameter('options', i, {}) as IDataObject;
	const name = requiredString.call(this, 'name', 'Name', i);
	const body: IDataObject = { name, ...guardrailBody.call(this, options, i) };
	const workspace = String(options.workspaceId ?? '').trim();
	if (workspace) body.workspace_id = readWorkspaceId.call(this, workspace, i);
	return await openRouterData.call(this, {
		method: 'POST',
		path: '/guardrails',
		body,
		itemIndex: i,
	});
}
