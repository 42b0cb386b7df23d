import { endpoint } from '../endpoint';
import { certificateIds } from './fields';

export const { description, execute } = endpoint('certificate', 'deactivate', {
	method: 'POST',
	path: '/certificates/deactivate',
	scoped: true,
	fields: [certificateIds],
});
