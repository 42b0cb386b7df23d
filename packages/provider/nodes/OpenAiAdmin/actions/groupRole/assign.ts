import { endpoint } from '../endpoint';

export const { description, execute } = endpoint('groupRole', 'assign', {
	method: 'POST',
	path: '/organization/groups/{groupId}/roles',
	fields: [
		{
			type: 'string',
			name: 'roleId',
			label: 'Role ID',
			to: 'body.role_id',
			required: true,
			placeholder: 'role_abc123',
		},
	],
});
