import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { requiredString } from '../../../../common/fields';
import { alreadyGoneField, deleting } from '../../../../transport/alreadyGone';
import { segment } from '../../../../transport/provider';
import { idField, openAi } from '../common';

export const description: INodeProperties[] = [
	idField('projectId', 'Project ID', 'serviceAccount', 'delete', 'proj_abc123', 'searchProjects'),
	idField(
		'serviceAccountId',
		'Service Account ID',
		'serviceAccount',
		'delete',
		'svc_acct_abc123',
		'searchServiceAccounts',
	),
	alreadyGoneField('serviceAccount', 'delete'),
];

export async function execute(this: IExecuteFunctions, i: number): Promise<IDataObject> {
	const projectId = requiredString.call(this, 'projectId', 'Project ID', i);
	const serviceAccountId = requiredString.call(this, 'serviceAccountId', 'Service Account ID', i);
	const path = `/organization/projects/${segment(projectId)}/service_accounts/${segment(serviceAccountId)}`;
	const { result, alreadyGone } = await deleting.call(
		this,
		i,
		async () => await openAi.call(this, { method: 'DELETE', path, itemIndex: i }),
	);
	return alreadyGone
		? {
				object: 'organization.project.service_account.deleted',
				id: serviceAccountId,
				deleted: true,
				already_gone: true,
			}
		: { ...(result as IDataObject), already_gone: false };
}
