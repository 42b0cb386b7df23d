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
		displayOptions: { show: { resource: ['project'] } },
		options: [
			{
				name: 'Archive',
				value: 'archive',
				action: 'Archive a project',
				description: 'Archive a project; its keys stop working',
			},
			{ name: 'Create', value: 'create', action: 'Create a project' },
			{ name: 'Get', value: 'get', action: 'Get a project' },
			{ name: 'Get Many', value: 'getAll', action: 'Get many projects' },
			{
				name: 'Update',
				value: 'update',
				action: 'Update a project',
				description: 'Rename a project',
			},
		],
		default: 'getAll',
	},
	...archive.description,
	...create.description,
	...get.description,
	...getAll.description,
	...update.description,
];
