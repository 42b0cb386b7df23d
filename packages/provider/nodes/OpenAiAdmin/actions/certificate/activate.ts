import { endpoint } from '../endpoint';
import { certificateIds } from './fields';

export const { description, execute } = endpoint('certificate', 'activate', {
	method: 'POST',
	path: '/certificates/activate',
	scoped: true,
	fields: [certificateIds],
});
