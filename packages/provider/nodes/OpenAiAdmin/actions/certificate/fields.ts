import type { EndpointField } from '../endpoint';

/** Activate and Deactivate take up to 10 certificates at a time. */
export const certificateIds: EndpointField = {
	type: 'list',
	name: 'certificateIds',
	label: 'Certificate IDs',
	to: 'body.certificate_ids',
	required: true,
	maxItems: 10,
	description: 'Comma-separated certificate IDs, at most 10 at a time',
	placeholder: 'cert_abc123, cert_def456',
};
