import { endpoint } from '../endpoint';

export const { description, execute } = endpoint('group', 'get', {
	method: 'GET',
	path: '/organization/groups/{groupId}',
});
