import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { requiredString } from '../../../../common/fields';
import { segment } from '../../../../transport/provider';
import { idField, openAi } from '../common';

export const description: INodeProperties[] = [
	idField('projectId', 'Project ID', 'project', 'archive', 'proj_abc123', 'searchProjects'),
];

export async function execute(this: IExecuteFunctions, i: number): Promise<IDataObject> {
	const projectId = requiredString.call(this, 'projectId', 'Project ID', i);
	return await openAi.call(this, {
		method: 'POST',
		path: `/organization/projects/${segment(projectId)}/archive`,
		itemIndex: i,
	});
}
