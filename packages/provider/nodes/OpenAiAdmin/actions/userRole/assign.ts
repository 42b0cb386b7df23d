import { endpoint } from '../endpoint';

export const { description, execute } = endpoint('userRole', 'assign', {
	method: 'POST',
	path: '/organization/users/{userId}/roles',
	fields: [
		{
			type: 'string',
			name: 'roleIdToAssign',
			label: 'Role ID',
			to: 'body.role_id',
			required: true,
			placeholder: 'role_abc123',
		},
	],
});
