import type { INodeProperties } from 'n8n-workflow';

import * as execute from './execute';

export const operations = { execute };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['customAction'] } },
		options: [
			{
				name: 'Execute',
				value: 'execute',
				action: 'Call any API action',
				description: 'Send a signed request for any service, version and action',
			},
		],
		default: 'execute',
	},
	...execute.description,
];
