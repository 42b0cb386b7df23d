import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { description } from './actions';
import { router } from './actions/router';

export class KeypilotLedger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'KeyPilot Ledger',
		name: 'keypilotLedger',
		icon: { light: 'file:keypilotLedger.svg', dark: 'file:keypilotLedger.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description:
			'Set up the ledger database and store provider costs, keys, usage and balances in it',
		defaults: { name: 'KeyPilot Ledger' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'postgres', required: true }],
		properties: description,
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
