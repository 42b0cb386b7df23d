import { endpoint } from '../endpoint';

export const { description, execute } = endpoint('group', 'create', {
	method: 'POST',
	path: '/organization/groups',
	fields: [
		{
			type: 'string',
			name: 'name',
			label: 'Name',
			to: 'body.name',
			required: true,
			maxLength: 255,
		},
	],
});
