import { endpoint } from '../endpoint';

export const { description, execute } = endpoint('groupRole', 'getAll', {
	method: 'GET',
	path: '/organization/groups/{groupId}/roles',
	list: true,
});
