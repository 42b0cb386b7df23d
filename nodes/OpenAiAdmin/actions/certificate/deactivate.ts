import { endpoint } from '../endpoint';

export const { description, execute } = endpoint('certificate', 'deactivate', {
	method: 'POST',
	path: '/certificates/deactivate',
	scoped: true,
	fields: [
		{
			type: 'list',
			name: 'certificateIds',
			label: 'Certificate IDs',
			to: 'body.certificate_ids',
			required: true,
			maxItems: 10,
			description: 'Comma-separated certificate IDs, at most 10 at a time',
			placeholder: 'cert_abc123, cert_def456',
		},
	],
});
