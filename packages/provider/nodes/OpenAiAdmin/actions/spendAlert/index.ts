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
		displayOptions: { show: { resource: ['spendAlert'] } },
		options: [
			{
				name: 'Create',
				value: 'create',
				action: 'Create a spend alert',
				description: 'Email recipients when monthly spend reaches a threshold',
			},
			{ name: 'Delete', value: 'delete', action: 'Delete a spend alert' },
			{ name: 'Get', value: 'get', action: 'Get a spend alert' },
			{ name: 'Get Many', value: 'getAll', action: 'Get many spend alerts' },
			{ name: 'Update', value: 'update', action: 'Update a spend alert' },
		],
		default: 'getAll',
	},
	...create.description,
	...del.description,
	...get.description,
	...getAll.description,
	...update.description,
];
