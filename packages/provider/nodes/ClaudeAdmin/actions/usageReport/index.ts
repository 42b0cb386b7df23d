import type { INodeProperties } from 'n8n-workflow';

import * as get from './get';

export const operations = { get };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['usageReport'] } },
		options: [{ name: 'Get', value: 'get', action: 'Get the messages usage report' }],
		default: 'get',
	},
	...get.description,
];
