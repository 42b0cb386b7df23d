import { endpoint } from '../endpoint';

export const { description, execute } = endpoint('projectGroup', 'getAll', {
	method: 'GET',
	path: '/organization/projects/{projectId}/groups',
	list: true,
});
