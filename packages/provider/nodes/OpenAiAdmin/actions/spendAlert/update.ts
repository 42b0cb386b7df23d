import { endpoint, withThresholdUsd } from '../endpoint';
import { alertConstants, alertFields } from './fields';

export const { description, execute } = endpoint('spendAlert', 'update', {
	method: 'POST',
	path: '/spend_alerts/{alertId}',
	scoped: true,
	fields: alertFields,
	constants: alertConstants,
	output: withThresholdUsd,
});
