import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import * as adminApiKey from './actions/adminApiKey';
import * as auditLog from './actions/auditLog';
import * as cost from './actions/cost';
import * as project from './actions/project';
import * as projectApiKey from './actions/projectApiKey';
import * as projectRateLimit from './actions/projectRateLimit';
import * as projectUser from './actions/projectUser';
import { router } from './actions/router';
import * as serviceAccount from './actions/serviceAccount';
import * as usage from './actions/usage';

export class OpenAiAdmin implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'OpenAI Admin',
		name: 'openAiAdmin',
		icon: { light: 'file:openAiAdmin.svg', dark: 'file:openAiAdmin.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description:
			"Manage an OpenAI organization's keys, projects, usage and costs through the Administration API",
		defaults: { name: 'OpenAI Admin' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'openAiAdminApi', required: true }],
		properties: [
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [
					{ name: 'Admin API Key', value: 'adminApiKey' },
					{ name: 'Audit Log', value: 'auditLog' },
					{ name: 'Cost', value: 'cost' },
					{ name: 'Project', value: 'project' },
					{ name: 'Project API Key', value: 'projectApiKey' },
					{ name: 'Project Rate Limit', value: 'projectRateLimit' },
					{ name: 'Project User', value: 'projectUser' },
					{ name: 'Service Account', value: 'serviceAccount' },
					{ name: 'Usage', value: 'usage' },
				],
				default: 'cost',
			},
			...adminApiKey.description,
			...auditLog.description,
			...cost.description,
			...project.description,
			...projectApiKey.description,
			...projectRateLimit.description,
			...projectUser.description,
			...serviceAccount.description,
			...usage.description,
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
