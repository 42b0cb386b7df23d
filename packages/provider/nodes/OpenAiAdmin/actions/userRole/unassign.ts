import { endpoint } from '../endpoint';

export const { description, execute } = endpoint('userRole', 'unassign', {
	method: 'DELETE',
	path: '/organization/users/{userId}/roles/{roleId}',
});
