import type { INodeProperties } from 'n8n-workflow';

import * as create from './create';
import * as del from './delete';
import * as get from './get';
import * as getAll from './getAll';

export const operations = { create, delete: del, get, getAll };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['adminApiKey'] } },
		options: [
			{
				name: 'Create',
				value: 'create',
				action: 'Create an admin API key',
				description: 'Create an admin API key; its value is returned once',
			},
			{ name: 'Delete', value: 'delete', action: 'Delete an admin API key' },
			{ name: 'Get', value: 'get', action: 'Get an admin API key' },
			{ name: 'Get Many', value: 'getAll', action: 'Get many admin API keys' },
		],
		default: 'getAll',
	},
	...create.description,
	...del.description,
	...get.description,
	...getAll.description,
];
