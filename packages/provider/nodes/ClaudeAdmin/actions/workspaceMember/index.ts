import type { INodeProperties } from 'n8n-workflow';

import * as add from './add';
import { memberFields } from './common';
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
		displayOptions: { show: { resource: ['workspaceMember'] } },
		options: [
			{ name: 'Add', value: 'add', action: 'Add a member to a workspace' },
			{ name: 'Get', value: 'get', action: 'Get a workspace member' },
			{ name: 'Get Many', value: 'getAll', action: 'Get many workspace members' },
			{ name: 'Remove', value: 'remove', action: 'Remove a member from a workspace' },
			{ name: 'Update Role', value: 'updateRole', action: 'Update a workspace member role' },
		],
		default: 'getAll',
	},
	...memberFields,
	...getAll.description,
];
