import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { requiredString, returnAllOrLimit } from '../../../../common/fields';
import { segment } from '../../../../transport/provider';
import { idField, openAiList } from '../common';

export const description: INodeProperties[] = [
	idField('projectId', 'Project ID', 'serviceAccount', 'getAll', 'proj_abc123', 'searchProjects'),
	...returnAllOrLimit('serviceAccount', 'getAll'),
];

export async function execute(this: IExecuteFunctions, i: number): Promise<IDataObject[]> {
	const projectId = requiredString.call(this, 'projectId', 'Project ID', i);
	return await openAiList.call(this, {
		method: 'GET',
		path: `/organization/projects/${segment(projectId)}/service_accounts`,
		itemIndex: i,
	});
}
