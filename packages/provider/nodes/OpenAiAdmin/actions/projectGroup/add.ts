import { endpoint } from '../endpoint';

export const { description, execute } = endpoint('projectGroup', 'add', {
	method: 'POST',
	path: '/organization/projects/{projectId}/groups',
	fields: [
		{
			type: 'string',
			name: 'groupId',
			label: 'Group ID',
			to: 'body.group_id',
			required: true,
			placeholder: 'group_abc123',
		},
		{
			type: 'string',
			name: 'role',
			label: 'Role',
			to: 'body.role',
			required: true,
			description: 'ID of the project role to grant the group',
			placeholder: 'role_abc123',
		},
	],
});
