import { endpoint } from '../endpoint';

export const { description, execute } = endpoint('user', 'get', {
	method: 'GET',
	path: '/organization/users/{userId}',
});
