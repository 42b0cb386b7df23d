import { endpoint } from '../endpoint';

export const { description, execute } = endpoint('user', 'getAll', {
	method: 'GET',
	path: '/organization/users',
	list: true,
	fields: [
		{
			type: 'list',
			name: 'emails',
			label: 'Emails',
			to: 'query.emails',
			description: 'Comma-separated emails; only these users are returned',
		},
	],
});
