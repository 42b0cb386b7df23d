import type { INodeProperties } from 'n8n-workflow';

import * as activate from './activate';
import * as deactivate from './deactivate';
import * as del from './delete';
import * as get from './get';
import * as getAll from './getAll';
import * as update from './update';
import * as upload from './upload';

export const operations = { activate, deactivate, delete: del, get, getAll, update, upload };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['certificate'] } },
		options: [
			{
				name: 'Activate',
				value: 'activate',
				action: 'Activate certificates',
				description: 'Activate up to 10 uploaded certificates for the organization or a project',
			},
			{
				name: 'Deactivate',
				value: 'deactivate',
				action: 'Deactivate certificates',
				description: 'Deactivate up to 10 certificates for the organization or a project',
			},
			{
				name: 'Delete',
				value: 'delete',
				action: 'Delete a certificate',
				description: 'Delete a certificate that is inactive everywhere',
			},
			{ name: 'Get', value: 'get', action: 'Get a certificate' },
			{
				name: 'Get Many',
				value: 'getAll',
				action: 'Get many certificates',
				description: 'List the certificates of the organization or of a project',
			},
			{
				name: 'Update',
				value: 'update',
				action: 'Rename a certificate',
				description: 'Only the name of a certificate can change',
			},
			{
				name: 'Upload',
				value: 'upload',
				action: 'Upload a certificate',
				description: 'Upload a certificate to the organization; it stays inactive until activated',
			},
		],
		default: 'getAll',
	},
	...activate.description,
	...deactivate.description,
	...del.description,
	...get.description,
	...getAll.description,
	...update.description,
	...upload.description,
];
