import type { EndpointField } from '../endpoint';

export const groupName: EndpointField = {
	type: 'string',
	name: 'name',
	label: 'Name',
	to: 'body.name',
	required: true,
	maxLength: 255,
};
