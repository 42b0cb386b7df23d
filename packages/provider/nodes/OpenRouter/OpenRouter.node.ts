import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import * as activity from './actions/activity';
import * as credits from './actions/credits';
import * as currentKey from './actions/currentKey';
import * as key from './actions/key';
import { router } from './actions/router';
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
		properties: [
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [
					{ name: 'Activity', value: 'activity' },
					{ name: 'Credit', value: 'credits' },
					{ name: 'Current Key', value: 'currentKey' },
					{ name: 'Key', value: 'key' },
				],
				default: 'key',
			},
			...activity.description,
			...credits.description,
			...currentKey.description,
			...key.description,
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
