import { endpoint } from '../endpoint';

export const { description, execute } = endpoint('certificate', 'getAll', {
	method: 'GET',
	path: '/certificates',
	scoped: true,
	list: true,
});
