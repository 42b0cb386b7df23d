import { endpoint } from '../endpoint';

export const { description, execute } = endpoint('projectUser', 'get', {
	method: 'GET',
	path: '/organization/projects/{projectId}/users/{userId}',
});
