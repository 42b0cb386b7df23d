import { endpoint } from '../endpoint';

export const { description, execute } = endpoint('certificate', 'update', {
	method: 'POST',
	path: '/organization/certificates/{certificateId}',
	fields: [
		{
			type: 'string',
			name: 'name',
			label: 'Name',
			to: 'body.name',
			required: true,
		},
	],
});
