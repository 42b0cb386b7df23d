import { endpoint } from '../endpoint';

export const { description, execute } = endpoint('groupUser', 'add', {
	method: 'POST',
	path: '/organization/groups/{groupId}/users',
	fields: [
		{
			type: 'string',
			name: 'userId',
			label: 'User ID',
			to: 'body.user_id',
			required: true,
			placeholder: 'user_abc123',
		},
	],
});
