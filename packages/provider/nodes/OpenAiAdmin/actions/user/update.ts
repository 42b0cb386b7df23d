import { endpoint } from '../endpoint';

export const { description, execute } = endpoint('user', 'update', {
	method: 'POST',
	path: '/organization/users/{userId}',
	fields: [
		{
			type: 'options',
			name: 'role',
			label: 'Role',
			to: 'body.role',
			values: [
				['', 'Unchanged'],
				['owner', 'Owner'],
				['reader', 'Reader'],
			],
			default: '',
		},
		{
			type: 'string',
			name: 'roleIdToSet',
			label: 'Role ID',
			to: 'body.role_id',
			description: 'ID of a custom organization role to give the user',
			placeholder: 'role_abc123',
		},
	],
});
