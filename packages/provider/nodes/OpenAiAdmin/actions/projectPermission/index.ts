import type { INodeProperties } from 'n8n-workflow';

import * as deleteModels from './deleteModels';
import * as getHostedTools from './getHostedTools';
import * as getModels from './getModels';
import * as updateHostedTools from './updateHostedTools';
import * as updateModels from './updateModels';

export const operations = {
	deleteModels,
	getHostedTools,
	getModels,
	updateHostedTools,
	updateModels,
};

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['projectPermission'] } },
		options: [
			{
				name: 'Delete Model Permissions',
				value: 'deleteModels',
				action: 'Delete the model permissions of a project',
				description: 'Remove the allow or deny list so every model is allowed again',
			},
			{
				name: 'Get Hosted Tool Permissions',
				value: 'getHostedTools',
				action: 'Get the hosted tool permissions of a project',
			},
			{
				name: 'Get Model Permissions',
				value: 'getModels',
				action: 'Get the model permissions of a project',
			},
			{
				name: 'Update Hosted Tool Permissions',
				value: 'updateHostedTools',
				action: 'Update the hosted tool permissions of a project',
			},
			{
				name: 'Update Model Permissions',
				value: 'updateModels',
				action: 'Update the model permissions of a project',
				description: 'Set which models the project may use, as an allow list or a deny list',
			},
		],
		default: 'getModels',
	},
	...deleteModels.description,
	...getHostedTools.description,
	...getModels.description,
	...updateHostedTools.description,
	...updateModels.description,
];
