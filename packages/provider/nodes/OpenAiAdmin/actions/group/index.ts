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
		displayOptions: { show: { resource: ['group'] } },
		options: [
			{ name: 'Create', value: 'create', action: 'Create a group' },
			{ name: 'Delete', value: 'delete', action: 'Delete a group' },
			{ name: 'Get', value: 'get', action: 'Get a group' },
			{ name: 'Get Many', value: 'getAll', action: 'Get many groups' },
			{ name: 'Update', value: 'update', action: 'Rename a group' },
		],
		default: 'getAll',
	},
	...create.description,
	...del.description,
	...get.description,
	...getAll.description,
	...update.description,
];
