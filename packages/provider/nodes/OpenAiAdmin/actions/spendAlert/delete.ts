import { endpoint } from '../endpoint';

export const { description, execute } = endpoint('spendAlert', 'delete', {
	method: 'DELETE',
	path: '/spend_alerts/{alertId}',
	scoped: true,
});
