import { endpoint } from '../endpoint';

export const { description, execute } = endpoint('groupUser', 'remove', {
	method: 'DELETE',
	path: '/organization/groups/{groupId}/users/{userId}',
});
