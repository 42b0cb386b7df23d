import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { UsageInputError } from '../../core/usage/types';
import { dispatch } from '../../common/router';
import { description, operations } from './actions';

export class UsageLogger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Usage Logger',
		name: 'usageLogger',
		icon: { light: 'file:usageLogger.svg', dark: 'file:usageLogger.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["operation"]}}',
		description:
			"Record each LLM request's tokens, latency and exact cost in Postgres, and read usage stats",
		defaults: { name: 'Usage Logger' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'postgres', required: true }],
		properties: description,
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const operation = this.getNodeParameter('operation', 0) as string;
		return await dispatch.call(
			this,
			operations[operation],
			{ operation },
			// Log adds `usage` (and `quota`) to the item itself; the reads add theirs under `usage`.
			{ inputErrors: [UsageInputError], resultKey: operation === 'log' ? undefined : 'usage' },
		);
	}
}
