import type { INodeProperties } from 'n8n-workflow';

import * as archive from './archive';
import * as create from './create';
import * as get from './get';
import * as getAll from './getAll';
import * as update from './update';

export const operations = { archive, create, get, getAll, update };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['workspace'] } },
		options: [
			{
				name: 'Archive',
				value: 'archive',
				action: 'Archive a workspace',
				description: 'Its API keys stop working',
			},
			{ name: 'Create', value: 'create', action: 'Create a workspace' },
			{ name: 'Get', value: 'get', action: 'Get a workspace' },
			{ name: 'Get Many', value: 'getAll', action: 'Get many workspaces' },
			{ name: 'Update', value: 'update', action: 'Rename a workspace' },
		],
		default: 'getAll',
	},
	...create.description,
	...get.description,
	...getAll.description,
];
