import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { description } from './actions';
import { router } from './actions/router';

/** Two named outputs for Reserve and Check, one for the other operations. */
const outputsFor = (parameters: { operation?: string }) =>
	parameters.operation === 'reserve' ||
	parameters.operation === 'reserveChat' ||
	parameters.operation === 'check' ||
	!parameters.operation
		? [
				{ type: 'main', displayName: 'Allowed' },
				{ type: 'main', displayName: 'Exhausted' },
			]
		: [{ type: 'main' }];

export class QuotaCheck implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Quota Check',
		name: 'quotaCheck',
		icon: { light: 'file:quotaCheck.svg', dark: 'file:quotaCheck.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["operation"]}}',
		description:
			'Token or USD quotas in Postgres: reserve before an LLM call, settle after, atomic across n8n workers',
		defaults: { name: 'Quota Check' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: `={{(${outputsFor})($parameter)}}`,
		credentials: [{ name: 'postgres', required: true }],
		properties: description,
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
