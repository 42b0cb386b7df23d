import type { INodeProperties } from 'n8n-workflow';

import * as get from './get';
import * as getAll from './getAll';
import * as update from './update';

export const operations = { get, getAll, update };

export const description: INodeProperties[] = [
	{
		displayName:
			"Anthropic's API cannot create API keys: create them in the Claude Console (Settings → API keys). Here you can read them, rename them and change their status.",
		name: 'noCreateNotice',
		type: 'notice',
		default: '',
		displayOptions: { show: { resource: ['apiKey'] } },
	},
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['apiKey'] } },
		options: [
			{ name: 'Get', value: 'get', action: 'Get an API key' },
			{ name: 'Get Many', value: 'getAll', action: 'Get many API keys' },
			{
				name: 'Update',
				value: 'update',
				action: 'Update an API key',
				description: 'Rename it or change its status',
			},
		],
		default: 'getAll',
	},
	...get.description,
	...getAll.description,
	...update.description,
];
