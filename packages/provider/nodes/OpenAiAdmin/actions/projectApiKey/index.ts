import type { INodeProperties } from 'n8n-workflow';

import * as del from './delete';
import * as get from './get';
import * as getAll from './getAll';

export const operations = { delete: del, get, getAll };

export const description: INodeProperties[] = [
	{
		displayName:
			"OpenAI's API cannot create project API keys owned by a user. To create a project key programmatically, use Service Account → Create (or Create API Key): the key is returned once.",
		name: 'noCreateNotice',
		type: 'notice',
		default: '',
		displayOptions: { show: { resource: ['projectApiKey'] } },
	},
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['projectApiKey'] } },
		options: [
			{ name: 'Delete', value: 'delete', action: 'Delete a project API key' },
			{ name: 'Get', value: 'get', action: 'Get a project API key' },
			{ name: 'Get Many', value: 'getAll', action: 'Get many project API keys' },
		],
		default: 'getAll',
	},
	...del.description,
	...get.description,
	...getAll.description,
];
