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
		displayOptions: { show: { resource: ['role'] } },
		options: [
			{ name: 'Create', value: 'create', action: 'Create a custom role' },
			{ name: 'Delete', value: 'delete', action: 'Delete a custom role' },
			{ name: 'Get', value: 'get', action: 'Get a role' },
			{ name: 'Get Many', value: 'getAll', action: 'Get many roles' },
			{
				name: 'Update',
				value: 'update',
				action: 'Update a custom role',
				description: 'Fields left empty stay as they are',
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
