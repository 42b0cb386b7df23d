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
		displayOptions: { show: { resource: ['projectGroup'] } },
		options: [
			{ name: 'Add', value: 'add', action: 'Give a group access to a project' },
			{ name: 'Get', value: 'get', action: 'Get a group of a project' },
			{ name: 'Get Many', value: 'getAll', action: 'Get many groups of a project' },
			{ name: 'Remove', value: 'remove', action: 'Remove a group from a project' },
		],
		default: 'getAll',
	},
	...add.description,
	...get.description,
	...getAll.description,
	...remove.description,
];
