import type { INodeProperties } from 'n8n-workflow';

import * as assign from './assign';
import * as get from './get';
import * as getAll from './getAll';
import * as unassign from './unassign';

export const operations = { assign, get, getAll, unassign };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['userRole'] } },
		options: [
			{ name: 'Assign', value: 'assign', action: 'Assign a role to a user' },
			{ name: 'Get', value: 'get', action: 'Get a role of a user' },
			{ name: 'Get Many', value: 'getAll', action: 'Get many roles of a user' },
			{ name: 'Unassign', value: 'unassign', action: 'Unassign a role from a user' },
		],
		default: 'getAll',
	},
	...assign.description,
	...get.description,
	...getAll.description,
	...unassign.description,
];
