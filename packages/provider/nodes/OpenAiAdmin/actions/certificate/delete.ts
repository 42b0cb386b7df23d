import { endpoint } from '../endpoint';

export const { description, execute } = endpoint('certificate', 'delete', {
	method: 'DELETE',
	path: '/organization/certificates/{certificateId}',
});
