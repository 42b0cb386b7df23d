import { endpoint } from '../endpoint';

export const { description, execute } = endpoint('invite', 'getAll', {
	method: 'GET',
	path: '/organization/invites',
	list: true,
});
