import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { requiredString } from '../../../../common/fields';
import { segment } from '../../../../transport/provider';
import { idField, openAi } from '../common';
import { readRole, roleField } from './role';

export const description: INodeProperties[] = [
	idField('projectId', 'Project ID', 'projectUser', 'add', 'proj_abc123', 'searchProjects'),
	idField('userId', 'User ID', 'projectUser', 'add', 'user_abc123'),
	roleField('add'),
];

export async function execute(this: IExecuteFunctions, i: number): Promise<IDataObject> {
	const projectId = requiredString.call(this, 'projectId', 'Project ID', i);
	const userId = requiredString.call(this, 'userId', 'User ID', i);
	return await openAi.call(this, {
		method: 'POST',
		path: `/organization/projects/${segment(projectId)}/users`,
		body: { user_id: userId, role: readRole.call(this, i) },
		itemIndex: i,
	});
}
