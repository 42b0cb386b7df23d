import type { INodeProperties } from 'n8n-workflow';

import * as get from './get';

export const operations = { get };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['credits'] } },
		options: [
			{
				name: 'Get',
				value: 'get',
				action: 'Get the credits',
				description: 'Bought, used and remaining',
			},
		],
		default: 'get',
	},
];
