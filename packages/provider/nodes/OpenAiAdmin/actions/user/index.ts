import type { INodeProperties } from 'n8n-workflow';

import * as del from './delete';
import * as get from './get';
import * as getAll from './getAll';
import * as update from './update';

export const operations = { delete: del, get, getAll, update };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['user'] } },
		options: [
			{ name: 'Delete', value: 'delete', action: 'Remove a user from the organization' },
			{ name: 'Get', value: 'get', action: 'Get a user' },
			{ name: 'Get Many', value: 'getAll', action: 'Get many users' },
			{ name: 'Update', value: 'update', action: 'Change the role of a user' },
		],
		default: 'getAll',
	},
	...del.description,
	...get.description,
	...getAll.description,
	...update.description,
];
