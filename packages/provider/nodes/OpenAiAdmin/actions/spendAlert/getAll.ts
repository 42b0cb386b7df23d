import { endpoint, withThresholdUsd } from '../endpoint';

export const { description, execute } = endpoint('spendAlert', 'getAll', {
	method: 'GET',
	path: '/spend_alerts',
	scoped: true,
	list: true,
	output: withThresholdUsd,
});
