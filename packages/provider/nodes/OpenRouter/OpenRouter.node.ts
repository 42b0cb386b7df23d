import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { describeResources } from '../../common/operation';
import { RESOURCES, router } from './actions/router';
import { searchKeys } from './search';

export class OpenRouter implements INodeType {
	methods = { listSearch: { searchKeys } };

	description: INodeTypeDescription = {
		displayName: 'OpenRouter',
		name: 'openRouter',
		icon: { light: 'file:openRouter.svg', dark: 'file:openRouter.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description:
			'Create and manage OpenRouter API keys with credit limits, and read credits and activity',
		defaults: { name: 'OpenRouter' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'openRouterManagementApi', required: true }],
		properties: describeResources(RESOURCES, 'key'),
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
