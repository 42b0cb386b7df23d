import { endpoint } from '../endpoint';

export const { description, execute } = endpoint('groupUser', 'getAll', {
	method: 'GET',
	path: '/organization/groups/{groupId}/users',
	list: true,
});
