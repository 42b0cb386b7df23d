import { endpoint } from '../endpoint';

export const { description, execute } = endpoint('certificate', 'upload', {
	method: 'POST',
	path: '/organization/certificates',
	fields: [
		{
			type: 'string',
			name: 'certificate',
			label: 'Certificate (PEM)',
			to: 'body.certificate',
			required: true,
			rows: 6,
			placeholder: '-----BEGIN CERTIFICATE-----',
		},
		{
			type: 'string',
			name: 'name',
			label: 'Name',
			to: 'body.name',
		},
	],
});
