import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { requiredString } from '../../../../common/fields';
import { segment } from '../../../../transport/provider';
import { idField, openAi } from '../common';

export const description: INodeProperties[] = [
	idField('projectId', 'Project ID', 'project', 'update', 'proj_abc123', 'searchProjects'),
	{
		displayName: 'Name',
		name: 'name',
		type: 'string',
		required: true,
		default: '',
		description: 'New name of the project',
	},
];

export async function execute(this: IExecuteFunctions, i: number): Promise<IDataObject> {
	const projectId = requiredString.call(this, 'projectId', 'Project ID', i);
	const name = requiredString.call(this, 'name', 'Name', i);
	return await openAi.call(this, {
		method: 'POST',
		path: `/organization/projects/${segment(projectId)}`,
		body: { name },
		itemIndex: i,
	});
}
