import { endpoint } from '../endpoint';

export const { description, execute } = endpoint('user', 'delete', {
	method: 'DELETE',
	path: '/organization/users/{userId}',
});
