import { endpoint, withThresholdUsd } from '../endpoint';

export const { description, execute } = endpoint('spendLimit', 'get', {
	method: 'GET',
	path: '/spend_limit',
	scoped: true,
	output: withThresholdUsd,
});
