import type { INodeProperties } from 'n8n-workflow';

import * as get from './get';

export const operations = { get };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['usage'] } },
		options: [
			{ name: 'Get', value: 'get', action: 'Get usage', description: 'One item per bucket result' },
		],
		default: 'get',
	},
	...get.description,
];
