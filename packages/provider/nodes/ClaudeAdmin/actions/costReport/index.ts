import type { INodeProperties } from 'n8n-workflow';

import * as get from './get';
import * as summarize from './summarize';

export const operations = { get, summarize };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['costReport'] } },
		options: [
			{
				name: 'Get',
				value: 'get',
				action: 'Get the cost report',
				description: 'Daily costs in USD, exact',
			},
			{
				name: 'Summarize',
				value: 'summarize',
				action: 'Summarize costs per workspace',
				description: 'Month-to-date and today per workspace, and the organization total',
			},
		],
		default: 'get',
	},
	...get.description,
	...summarize.description,
];
