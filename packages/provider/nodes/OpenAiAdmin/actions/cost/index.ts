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
		displayOptions: { show: { resource: ['cost'] } },
		options: [
			{
				name: 'Get',
				value: 'get',
				action: 'Get costs',
				description: 'One item per daily cost result',
			},
			{
				name: 'Summarize',
				value: 'summarize',
				action: 'Summarize costs',
				description: 'Month-to-date and today cost per project and for the organization',
			},
		],
		default: 'get',
	},
	...get.description,
	...summarize.description,
];
