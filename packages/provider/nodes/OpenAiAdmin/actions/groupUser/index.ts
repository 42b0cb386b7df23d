import type { INodeProperties } from 'n8n-workflow';

import * as add from './add';
import * as get from './get';
import * as getAll from './getAll';
import * as remove from './remove';

export const operations = { add, get, getAll, remove };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['groupUser'] } },
		options: [
			{ name: 'Add', value: 'add', action: 'Add a user to a group' },
			{ name: 'Get', value: 'get', action: 'Get a user of a group' },
			{ name: 'Get Many', value: 'getAll', action: 'Get many users of a group' },
			{ name: 'Remove', value: 'remove', action: 'Remove a user from a group' },
		],
		default: 'getAll',
	},
	...add.description,
	...get.description,
	...getAll.description,
	...remove.description,
];
