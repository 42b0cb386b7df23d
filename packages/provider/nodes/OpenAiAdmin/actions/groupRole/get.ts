import { endpoint } from '../endpoint';

export const { description, execute } = endpoint('groupRole', 'get', {
	method: 'GET',
	path: '/organization/groups/{groupId}/roles/{roleId}',
});
