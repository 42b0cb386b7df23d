import type { INodeProperties } from 'n8n-workflow';

import * as create from './create';
import * as del from './delete';
import * as getAll from './getAll';
import * as updateStatus from './updateStatus';

export const operations = { create, delete: del, getAll, updateStatus };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['accessKey'] } },
		options: [
			{
				name: 'Create',
				value: 'create',
				action: 'Create an access key',
				description: 'Create an access key; its secret is returned once',
			},
			{ name: 'Delete', value: 'delete', action: 'Delete an access key' },
			{ name: 'Get Many', value: 'getAll', action: 'Get many access keys' },
			{
				name: 'Update Status',
				value: 'updateStatus',
				action: 'Enable or disable an access key',
			},
		],
		default: 'getAll',
	},
	...create.description,
	...del.description,
	...getAll.description,
	...updateStatus.description,
];
