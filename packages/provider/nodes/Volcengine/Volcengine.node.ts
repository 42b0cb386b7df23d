import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { describeResources } from '../../common/operation';
import { RESOURCES, router } from './actions/router';

export class Volcengine implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Volcengine',
		name: 'volcengine',
		icon: { light: 'file:volcengine.svg', dark: 'file:volcengine.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description:
			'Manage Volcengine IAM access keys and API keys, read balances and bills, or call any signed Volcengine OpenAPI action',
		defaults: { name: 'Volcengine' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'volcengineApi', required: true }],
		properties: describeResources(RESOURCES, 'billing'),
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
