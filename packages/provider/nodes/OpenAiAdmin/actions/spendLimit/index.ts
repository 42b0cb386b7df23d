import type { INodeProperties } from 'n8n-workflow';

import * as del from './delete';
import * as get from './get';
import * as set from './set';

export const operations = { delete: del, get, set };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['spendLimit'] } },
		options: [
			{
				name: 'Delete',
				value: 'delete',
				action: 'Delete a spend limit',
				description: 'Remove the hard monthly spend limit',
			},
			{
				name: 'Get',
				value: 'get',
				action: 'Get a spend limit',
				description: 'Read the hard monthly spend limit',
			},
			{
				name: 'Set',
				value: 'set',
				action: 'Set a spend limit',
				description:
					'Create or replace the hard monthly spend limit; OpenAI stops requests above it',
			},
		],
		default: 'get',
	},
	...del.description,
	...get.description,
	...set.description,
];
