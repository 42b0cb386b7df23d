import type { INodeProperties } from 'n8n-workflow';

import * as getAll from './getAll';
import * as update from './update';

export const operations = { getAll, update };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['projectRateLimit'] } },
		options: [
			{ name: 'Get Many', value: 'getAll', action: 'Get many project rate limits' },
			{ name: 'Update', value: 'update', action: 'Update a project rate limit' },
		],
		default: 'getAll',
	},
	...getAll.description,
	...update.description,
];
