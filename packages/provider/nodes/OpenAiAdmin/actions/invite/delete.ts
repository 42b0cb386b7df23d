import { endpoint } from '../endpoint';

export const { description, execute } = endpoint('invite', 'delete', {
	method: 'DELETE',
	path: '/organization/invites/{inviteId}',
});
