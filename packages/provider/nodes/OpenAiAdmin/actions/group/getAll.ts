import { endpoint } from '../endpoint';

export const { description, execute } = endpoint('group', 'getAll', {
	method: 'GET',
	path: '/organization/groups',
	list: true,
});
