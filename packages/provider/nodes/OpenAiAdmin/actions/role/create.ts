import { endpoint } from '../endpoint';

export const { description, execute } = endpoint('role', 'create', {
	method: 'POST',
	path: '/organization/roles',
	fields: [
		{
			type: 'string',
			name: 'roleName',
			label: 'Name',
			to: 'body.role_name',
			required: true,
		},
		{
			type: 'list',
			name: 'permissions',
			label: 'Permissions',
			to: 'body.permissions',
			required: true,
			description: 'Comma-separated permission names',
		},
		{
			type: 'string',
			name: 'description',
			label: 'Description',
			to: 'body.description',
		},
	],
});
