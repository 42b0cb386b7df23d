import { perItem, type Resource } from '../../../../common/operation';
import * as deleteModels from './deleteModels';
import * as getHostedTools from './getHostedTools';
import * as getModels from './getModels';
import * as updateHostedTools from './updateHostedTools';
import * as updateModels from './updateModels';

export const resource: Resource = {
	option: { name: 'Project Permission', value: 'projectPermission' },
	default: 'getModels',
	operations: [
		perItem(
			{
				name: 'Delete Model Permissions',
				value: 'deleteModels',
				action: 'Delete the model permissions of a project',
				description: 'Remove the allow or deny list so every model is allowed again',
			},
			deleteModels,
		),
		perItem(
			{
				name: 'Get Hosted Tool Permissions',
				value: 'getHostedTools',
				action: 'Get the hosted tool permissions of a project',
			},
			getHostedTools,
		),
		perItem(
			{
				name: 'Get Model Permissions',
				value: 'getModels',
				action: 'Get the model permissions of a project',
			},
			getModels,
		),
		perItem(
			{
				name: 'Update Hosted Tool Permissions',
				value: 'updateHostedTools',
				action: 'Update the hosted tool permissions of a project',
			},
			updateHostedTools,
		),
		perItem(
			{
				name: 'Update Model Permissions',
				value: 'updateModels',
				action: 'Update the model permissions of a project',
				description: 'Set which models the project may use, as an allow list or a deny list',
			},
			updateModels,
		),
	],
};
