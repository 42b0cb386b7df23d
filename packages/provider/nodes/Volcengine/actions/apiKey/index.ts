import type { INodeProperties } from 'n8n-workflow';

import * as create from './create';
import * as del from './delete';
import * as getAll from './getAll';
import * as update from './update';

export const operations = { create, delete: del, getAll, update };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['apiKey'] } },
		options: [
			{
				name: 'Create',
				value: 'create',
				action: 'Create an IAM API key',
				description: 'Create an IAM API key; its secret is returned once',
			},
			{ name: 'Delete', value: 'delete', action: 'Delete an IAM API key' },
			{ name: 'Get Many', value: 'getAll', action: 'Get many IAM API keys' },
			{ name: 'Update', value: 'update', action: 'Update an IAM API key' },
		],
		default: 'getAll',
	},
	...create.description,
	...del.description,
	...getAll.description,
	...update.description,
];
