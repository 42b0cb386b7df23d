import type { INodeProperties } from 'n8n-workflow';

import * as get from './get';
import * as update from './update';

export const operations = { get, update };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['dataRetention'] } },
		options: [
			{ name: 'Get', value: 'get', action: 'Get data retention controls' },
			{ name: 'Update', value: 'update', action: 'Update data retention controls' },
		],
		default: 'get',
	},
	...get.description,
	...update.description,
];
