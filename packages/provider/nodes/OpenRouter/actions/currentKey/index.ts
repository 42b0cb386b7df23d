import type { INodeProperties } from 'n8n-workflow';

import * as get from './get';

export const operations = { get };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['currentKey'] } },
		options: [
			{
				name: 'Get',
				value: 'get',
				action: 'Get the current key',
				description: "The credential's own key: usage, limit, rate limit",
			},
		],
		default: 'get',
	},
];
