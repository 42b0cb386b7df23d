import { endpoint } from '../endpoint';

export const { description, execute } = endpoint('role', 'delete', {
	method: 'DELETE',
	path: '/organization/roles/{roleId}',
});
