import type { INodeProperties } from 'n8n-workflow';

import * as getStats from './getStats';
import * as log from './log';
import * as report from './report';

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		options: [
			{
				name: 'Get Stats',
				value: 'getStats',
				action: 'Get usage statistics',
				description:
					'Overview, hourly series, top keys and routes, one key or route, for a time range',
			},
			{
				name: 'Log',
				value: 'log',
				action: 'Log the usage of requests',
				description:
					'Normalize, price and store each request; outputs the items with their usage and cost',
			},
			{
				name: 'Report',
				value: 'report',
				action: 'Render a usage report',
				description:
					'HTML page with charts, or CSV, of a period: daily cost per provider and top keys',
			},
		],
		default: 'log',
	},
	...log.description,
	...getStats.description,
	...report.description,
];

export { getStats } from './getStats';
export { log } from './log';
export { report } from './report';
