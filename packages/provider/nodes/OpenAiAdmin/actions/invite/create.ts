import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { csvList, requiredString } from '../../../../common/fields';
import { openAi } from '../common';

const ORGANIZATION_ROLES = ['reader', 'owner'];
const PROJECT_ROLES = ['member', 'owner'];

export const description: INodeProperties[] = [
	{
		displayName: 'Email',
		name: 'email',
		type: 'string',
		placeholder: 'name@email.com',
		required: true,
		default: '',
	},
	{
		displayName: 'Role',
		name: 'role',
		type: 'options',
		options: [
			{ name: 'Owner', value: 'owner' },
			{ name: 'Reader', value: 'reader' },
		],
		default: 'reader',
		description: 'Role of the invited user in the organization',
	},
	{
		displayName: 'Project IDs',
		name: 'projectIds',
		type: 'string',
		default: '',
		placeholder: 'proj_abc123, proj_def456',
		description: 'Comma-separated projects the user joins on accepting the invite',
	},
	{
		displayName: 'Project Role',
		name: 'projectRole',
		type: 'options',
		options: [
			{ name: 'Member', value: 'member' },
			{ name: 'Owner', value: 'owner' },
		],
		default: 'member',
		description: 'Role of the user in each of those projects',
	},
];

function oneOf(this: IExecuteFunctions, name: string, label: string, allowed: string[], i: number) {
	const value = this.getNodeParameter(name, i) as string;
	if (!allowed.includes(value)) {
		throw new NodeOperationError(
			this.getNode(),
			`"${label}" must be one of ${allowed.join(', ')}, got ${JSON.stringify(value)} (item ${i})`,
			{ itemIndex: i },
		);
	}
	return value;
}

export async function execute(this: IExecuteFunctions, i: number): Promise<IDataObject> {
	const email = requiredString.call(this, 'email', 'Email', i);
	const role = oneOf.call(this, 'role', 'Role', ORGANIZATION_ROLES, i);
	const projectIds = csvList(this.getNodeParameter('projectIds', i, ''));
	const body: IDataObject = { email, role };
	if (projectIds.length > 0) {
		const projectRole = oneOf.call(this, 'projectRole', 'Project Role', PROJECT_ROLES, i);
		body.projects = projectIds.map((id) => ({ id, role: projectRole }));
	}
	return await openAi.call(this, {
		method: 'POST',
		path: '/organization/invites',
		body,
		itemIndex: i,
	});
}
