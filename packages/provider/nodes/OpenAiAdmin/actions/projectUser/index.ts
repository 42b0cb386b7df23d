import type { INodeProperties } from 'n8n-workflow';

import * as add from './add';
import * as get from './get';
import * as getAll from './getAll';
import * as remove from './remove';
import * as updateRole from './updateRole';

export const operations = { add, get, getAll, remove, updateRole };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['projectUser'] } },
		options: [
			{ name: 'Add', value: 'add', action: 'Add a user to a project' },
			{ name: 'Get', value: 'get', action: 'Get a project user' },
			{ name: 'Get Many', value: 'getAll', action: 'Get many project users' },
			{ name: 'Remove', value: 'remove', action: 'Remove a user from a project' },
			{ name: 'Update Role', value: 'updateRole', action: 'Update the role of a project user' },
		],
		default: 'getAll',
	},
	...add.description,
	...get.description,
	...getAll.description,
	...remove.description,
	...updateRole.description,
];
