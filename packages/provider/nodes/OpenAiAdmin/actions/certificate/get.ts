import { endpoint } from '../endpoint';

export const { description, execute } = endpoint('certificate', 'get', {
	method: 'GET',
	path: '/organization/certificates/{certificateId}',
	fields: [
		{
			type: 'boolean',
			name: 'includeContent',
			label: 'Include Content',
			to: 'query.include',
			default: false,
			whenTrue: ['content'],
			description: 'Whether to return the PEM content of the certificate',
		},
	],
});
