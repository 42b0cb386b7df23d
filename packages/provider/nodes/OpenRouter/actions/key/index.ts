import type { INodeProperties } from 'n8n-workflow';

import * as create from './create';
import * as del from './delete';
import * as get from './get';
import * as getAll from './getAll';
import * as update from './update';

export const operations = { create, delete: del, get, getAll, update };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['key'] } },
		options: [
			{
				name: 'Create',
				value: 'create',
				action: 'Create a key',
				description: 'With a credit limit; the key is returned once',
			},
			{ name: 'Delete', value: 'delete', action: 'Delete a key' },
			{ name: 'Get', value: 'get', action: 'Get a key' },
			{ name: 'Get Many', value: 'getAll', action: 'Get many keys' },
			{
				name: 'Update',
				value: 'update',
				action: 'Update a key',
				description: 'Rename, disable, or change its limit',
			},
		],
		default: 'getAll',
	},
	...create.description,
	...del.description,
	...get.description,
	...getAll.description,
	...update.description,
];
