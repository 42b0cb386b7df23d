import { endpoint } from '../endpoint';

export const { description, execute } = endpoint('role', 'update', {
	method: 'POST',
	path: '/organization/roles/{roleId}',
	fields: [
		{
			type: 'string',
			name: 'roleName',
			label: 'Name',
			to: 'body.role_name',
		},
		{
			type: 'list',
			name: 'permissions',
			label: 'Permissions',
			to: 'body.permissions',
			description: 'Comma-separated permission names; replaces the current ones',
		},
		{
			type: 'string',
			name: 'description',
			label: 'Description',
			to: 'body.description',
		},
	],
});
