import { endpoint } from '../endpoint';

export const { description, execute } = endpoint('projectGroup', 'remove', {
	method: 'DELETE',
	path: '/organization/projects/{projectId}/groups/{groupId}',
});
