import { endpoint } from '../endpoint';

export const { description, execute } = endpoint('userRole', 'getAll', {
	method: 'GET',
	path: '/organization/users/{userId}/roles',
	list: true,
});
