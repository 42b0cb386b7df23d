import { endpoint } from '../endpoint';

export const { description, execute } = endpoint('groupRole', 'unassign', {
	method: 'DELETE',
	path: '/organization/groups/{groupId}/roles/{roleId}',
});
