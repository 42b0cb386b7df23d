import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { requiredString } from '../../../../common/fields';
import { segment } from '../../../../transport/provider';
import { idField, openAi } from '../common';

export const description: INodeProperties[] = [
	idField('projectId', 'Project ID', 'serviceAccount', 'get', 'proj_abc123', 'searchProjects'),
	idField(
		'serviceAccountId',
		'Service Account ID',
		'serviceAccount',
		'get',
		'svc_acct_abc123',
		'searchServiceAccounts',
	),
];

export async function execute(this: IExecuteFunctions, i: number): Promise<IDataObject> {
	const projectId = requiredString.call(this, 'projectId', 'Project ID', i);
	const serviceAccountId = requiredString.call(this, 'serviceAccountId', 'Service Account ID', i);
	return await openAi.call(this, {
		method: 'GET',
		path: `/organization/projects/${segment(projectId)}/service_accounts/${segment(serviceAccountId)}`,
		itemIndex: i,
	});
}
