import { endpoint, withThresholdUsd } from '../endpoint';

export const { description, execute } = endpoint('spendAlert', 'get', {
	method: 'GET',
	path: '/spend_alerts/{alertId}',
	scoped: true,
	output: withThresholdUsd,
});
