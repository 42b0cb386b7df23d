import { endpoint } from '../endpoint';

export const { description, execute } = endpoint('role', 'get', {
	method: 'GET',
	path: '/organization/roles/{roleId}',
});
