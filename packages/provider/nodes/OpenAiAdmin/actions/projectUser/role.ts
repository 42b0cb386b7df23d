import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { show } from '../common';

const ROLES = ['member', 'owner'];

export function roleField(operation: string): INodeProperties {
	return {
		displayName: 'Role',
		name: 'role',
		type: 'options',
		options: [
			{ name: 'Member', value: 'member' },
			{ name: 'Owner', value: 'owner' },
		],
		default: 'member',
		description: 'Role of the user in the project',
		displayOptions: show('projectUser', operation),
	};
}

export function readRole(this: IExecuteFunctions, i: number): string {
	const role = this.getNodeParameter('role', i) as string;
	if (!ROLES.includes(role)) {
		throw new NodeOperationError(
			this.getNode(),
			`"Role" must be one of ${ROLES.join(', ')}, got "${role}" (item ${i})`,
			{
				itemIndex: i,
			},
		);
	}
	return role;
}
