import { endpoint } from '../endpoint';

export const { description, execute } = endpoint('spendLimit', 'delete', {
	method: 'DELETE',
	path: '/spend_limit',
	scoped: true,
});
