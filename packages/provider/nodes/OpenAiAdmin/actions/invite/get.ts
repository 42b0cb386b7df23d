import { endpoint } from '../endpoint';

export const { description, execute } = endpoint('invite', 'get', {
	method: 'GET',
	path: '/organization/invites/{inviteId}',
});
