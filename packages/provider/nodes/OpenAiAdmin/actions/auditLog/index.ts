import type { INodeProperties } from 'n8n-workflow';

import * as getAll from './getAll';

export const operations = { getAll };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['auditLog'] } },
		options: [{ name: 'Get Many', value: 'getAll', action: 'Get many audit log events' }],
		default: 'getAll',
	},
	...getAll.description,
];
