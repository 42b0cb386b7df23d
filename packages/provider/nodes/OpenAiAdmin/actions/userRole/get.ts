import { endpoint } from '../endpoint';

export const { description, execute } = endpoint('userRole', 'get', {
	method: 'GET',
	path: '/organization/users/{userId}/roles/{roleId}',
});
