import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { requiredString } from '../../../../common/fields';
import { segment } from '../../../../transport/provider';
import { idField, openAi } from '../common';

export const description: INodeProperties[] = [
	idField('projectId', 'Project ID', 'projectUser', 'remove', 'proj_abc123', 'searchProjects'),
	idField('userId', 'User ID', 'projectUser', 'remove', 'user_abc123'),
];

export async function execute(this: IExecuteFunctions, i: number): Promise<IDataObject> {
	const projectId = requiredString.call(this, 'projectId', 'Project ID', i);
	const userId = requiredString.call(this, 'userId', 'User ID', i);
	return await openAi.call(this, {
		method: 'DELETE',
		path: `/organization/projects/${segment(projectId)}/users/${segment(userId)}`,
		itemIndex: i,
	});
}
