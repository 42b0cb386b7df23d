import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { csvList, requiredString } from '../../../../common/fields';
import { segment } from '../../../../transport/provider';
import { idField, openAi } from '../common';

export const description: INodeProperties[] = [
	idField(
		'projectId',
		'Project ID',
		'serviceAccount',
		'createApiKey',
		'proj_abc123',
		'searchProjects',
	),
	idField(
		'serviceAccountId',
		'Service Account ID',
		'serviceAccount',
		'createApiKey',
		'svc_acct_abc123',
		'searchServiceAccounts',
	),
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		options: [
			{
				displayName: 'Name',
				name: 'name',
				type: 'string',
				default: '',
				description: 'Name of the API key',
			},
			{
				displayName: 'Scopes',
				name: 'scopes',
				type: 'string',
				default: '',
				placeholder: 'api.responses.write, api.model.read',
				description: 'Comma-separated scopes that restrict what the key may do',
			},
		],
	},
];

export async function execute(this: IExecuteFunctions, i: number): Promise<IDataObject> {
	const projectId = requiredString.call(this, 'projectId', 'Project ID', i);
	const serviceAccountId = requiredString.call(this, 'serviceAccountId', 'Service Account ID', i);
	const fields = this.getNodeParameter('additionalFields', i, {}) as IDataObject;
	const body: IDataObject = {};
	if (typeof fields.name === 'string' && fields.name.trim()) body.name = fields.name.trim();
	const scopes = csvList(fields.scopes);
	if (scopes.length) body.scopes = scopes;
	return await openAi.call(this, {
		method: 'POST',
		path: `/organization/projects/${segment(projectId)}/service_accounts/${segment(serviceAccountId)}/api_keys`,
		body,
		itemIndex: i,
	});
}
