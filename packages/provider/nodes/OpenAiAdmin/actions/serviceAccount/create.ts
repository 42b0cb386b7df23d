import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { requiredString } from '../../../../common/fields';
import { segment } from '../../../../transport/provider';
import { idField, openAi, show } from '../common';

export const description: INodeProperties[] = [
	idField('projectId', 'Project ID', 'serviceAccount', 'create', 'proj_abc123', 'searchProjects'),
	{
		displayName: 'Name',
		name: 'name',
		type: 'string',
		required: true,
		default: '',
		description: 'Name of the service account',
	},
	{
		displayName:
			'OpenAI returns the new service account with an API key (api_key.value) exactly once. Store it now.',
		name: 'onceNotice',
		type: 'notice',
		default: '',
		displayOptions: show('serviceAccount', ['create', 'createApiKey']),
	},
];

export async function execute(this: IExecuteFunctions, i: number): Promise<IDataObject> {
	const projectId = requiredString.call(this, 'projectId', 'Project ID', i);
	const name = requiredString.call(this, 'name', 'Name', i);
	return await openAi.call(this, {
		method: 'POST',
		path: `/organization/projects/${segment(projectId)}/service_accounts`,
		body: { name },
		itemIndex: i,
	});
}
