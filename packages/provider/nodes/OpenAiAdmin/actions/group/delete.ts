import { endpoint } from '../endpoint';

export const { description, execute } = endpoint('group', 'delete', {
	method: 'DELETE',
	path: '/organization/groups/{groupId}',
});
