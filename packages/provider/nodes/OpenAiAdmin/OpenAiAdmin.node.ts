import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { describeResources } from '../../common/operation';
import { RESOURCES, router } from './actions/router';
import { searchProjectApiKeys, searchProjects, searchServiceAccounts } from './search';

export class OpenAiAdmin implements INodeType {
	methods = { listSearch: { searchProjects, searchServiceAccounts, searchProjectApiKeys } };

	description: INodeTypeDescription = {
		displayName: 'OpenAI Admin',
		name: 'openAiAdmin',
		icon: { light: 'file:openAiAdmin.svg', dark: 'file:openAiAdmin.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description:
			"Manage an OpenAI organization's keys, projects, people, limits, usage and costs through the Administration API",
		defaults: { name: 'OpenAI Admin' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'openAiAdminApi', required: true }],
		properties: describeResources(RESOURCES, 'cost'),
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
