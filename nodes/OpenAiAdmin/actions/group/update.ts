import { endpoint } from '../endpoint';

export const { description, execute } = endpoint('group', 'update', {
	method: 'POST',
	path: '/organization/groups/{groupId}',
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
