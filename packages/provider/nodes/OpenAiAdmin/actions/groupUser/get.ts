import { endpoint } from '../endpoint';

export const { description, execute } = endpoint('groupUser', 'get', {
	method: 'GET',
	path: '/organization/groups/{groupId}/users/{userId}',
});
