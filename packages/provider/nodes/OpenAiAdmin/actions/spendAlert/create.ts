import { endpoint, withThresholdUsd } from '../endpoint';
import { alertConstants, alertFields } from './fields';

export const { description, execute } = endpoint('spendAlert', 'create', {
	method: 'POST',
	path: '/spend_alerts',
	scoped: true,
	fields: alertFields,
	constants: alertConstants,
	output: withThresholdUsd,
});
