import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { requiredString } from '../../../../common/fields';
import { segment } from '../../../../transport/provider';
import { idField, openAi } from '../common';

export const description: INodeProperties[] = [
	idField('projectId', 'Project ID', 'projectApiKey', 'delete', 'proj_abc123', 'searchProjects'),
	idField('keyId', 'Key ID', 'projectApiKey', 'delete', 'key_abc123', 'searchProjectApiKeys'),
];

export async function execute(this: IExecuteFunctions, i: number): Promise<IDataObject> {
	const projectId = requiredString.call(this, 'projectId', 'Project ID', i);
	const keyId = requiredString.call(this, 'keyId', 'Key ID', i);
	return await openAi.call(this, {
		method: 'DELETE',
		path: `/organization/projects/${segment(projectId)}/api_keys/${segment(keyId)}`,
		itemIndex: i,
	});
}
