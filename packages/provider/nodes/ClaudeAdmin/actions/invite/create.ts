import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { requiredString } from '../../../../common/fields';
import { anthropic, ORGANIZATION_ROLES } from '../common';

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
		options: ORGANIZATION_ROLES.filter((role) => role.value !== 'admin'),
		default: 'user',
	},
];

export async function execute(this: IExecuteFunctions, i: number): Promise<IDataObject> {
	const email = requiredString.call(this, 'email', 'Email', i);
	if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) {
		throw new NodeOperationError(
			this.getNode(),
			`"Email" is not an email address: "${email}" (item ${i})`,
			{ itemIndex: i },
		);
	}
	const role = this.getNodeParameter('role', i) as string;
	return await anthropic.call(this, {
		method: 'POST',
		path: '/organizations/invites',
		body: { email, role },
		itemIndex: i,
	});
}
