import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { anthropic, ORGANIZATION_ROLES } from '../common';
import { userPath } from './get';

export const description: INodeProperties[] = [
	{
		displayName: 'Role',
		name: 'role',
		type: 'options',
		options: ORGANIZATION_ROLES.filter((role) => role.value !== 'admin'),
		default: 'user',
		description: 'The Admin API cannot make a user an admin',
	},
];

export async function execute(this: IExecuteFunctions, i: number): Promise<IDataObject> {
	const body = { role: this.getNodeParameter('role', i) as string };
	return await anthropic.call(this, {
		method: 'POST',
		path: userPath.call(this, i),
		body,
		itemIndex: i,
	});
}
