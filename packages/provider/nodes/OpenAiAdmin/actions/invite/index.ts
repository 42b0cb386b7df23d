import type { INodeProperties } from 'n8n-workflow';

import * as create from './create';
import * as del from './delete';
import * as get from './get';
import * as getAll from './getAll';

export const operations = { create, delete: del, get, getAll };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['invite'] } },
		options: [
			{ name: 'Create', value: 'create', action: 'Invite a user to the organization' },
			{
				name: 'Delete',
				value: 'delete',
				action: 'Delete an invite',
				description: 'Delete an invite that has not been accepted',
			},
			{ name: 'Get', value: 'get', action: 'Get an invite' },
			{ name: 'Get Many', value: 'getAll', action: 'Get many invites' },
		],
		default: 'getAll',
	},
	...create.description,
	...del.description,
	...get.description,
	...getAll.description,
];
