import type { INodeProperties } from 'n8n-workflow';

import * as create from './create';
import * as createApiKey from './createApiKey';
import * as del from './delete';
import * as get from './get';
import * as getAll from './getAll';
import * as update from './update';

export const operations = { create, createApiKey, delete: del, get, getAll, update };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['serviceAccount'] } },
		options: [
			{
				name: 'Create',
				value: 'create',
				action: 'Create a service account',
				description: 'Create a service account and its first project API key (returned once)',
			},
			{
				name: 'Create API Key',
				value: 'createApiKey',
				action: 'Create an API key for a service account',
				description:
					'Create another project API key for an existing service account (returned once)',
			},
			{ name: 'Delete', value: 'delete', action: 'Delete a service account' },
			{ name: 'Get', value: 'get', action: 'Get a service account' },
			{ name: 'Get Many', value: 'getAll', action: 'Get many service accounts' },
			{ name: 'Update', value: 'update', action: 'Update a service account' },
		],
		default: 'create',
	},
	...create.description,
	...createApiKey.description,
	...del.description,
	...get.description,
	...getAll.description,
	...update.description,
];
