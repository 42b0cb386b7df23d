import type { INodeProperties } from 'n8n-workflow';

import * as get from './get';
import * as getAll from './getAll';
import * as remove from './remove';
import * as updateRole from './updateRole';

export const operations = { get, getAll, remove, updateRole };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['user'] } },
		options: [
			{ name: 'Get', value: 'get', action: 'Get a user' },
			{ name: 'Get Many', value: 'getAll', action: 'Get many users' },
			{ name: 'Remove', value: 'remove', action: 'Remove a user from the organization' },
			{ name: 'Update Role', value: 'updateRole', action: 'Update a user role' },
		],
		default: 'getAll',
	},
	...get.description,
	...getAll.description,
];
