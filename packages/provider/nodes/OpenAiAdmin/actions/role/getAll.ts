import { endpoint } from '../endpoint';

export const { description, execute } = endpoint('role', 'getAll', {
	method: 'GET',
	path: '/organization/roles',
	list: true,
});
