import { endpoint } from '../endpoint';

export const { description, execute } = endpoint('dataRetention', 'get', {
	method: 'GET',
	path: '/data_retention',
	scoped: true,
});
