import { endpoint } from '../endpoint';

export const { description, execute } = endpoint('serviceAccount', 'update', {
	method: 'POST',
	path: '/organization/projects/{projectId}/service_accounts/{serviceAccountId}',
	fields: [
		{ type: 'string', name: 'name', label: 'Name', to: 'body.name' },
		{
			type: 'options',
			name: 'role',
			label: 'Role',
			to: 'body.role',
			values: [
				['', 'Unchanged'],
				['member', 'Member'],
				['owner', 'Owner'],
			],
			default: '',
		},
	],
});
