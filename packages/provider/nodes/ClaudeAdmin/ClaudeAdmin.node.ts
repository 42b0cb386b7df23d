import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { describeResources } from '../../common/operation';
import { RESOURCES, router } from './actions/router';
import { searchApiKeys, searchWorkspaces } from './search';

export class ClaudeAdmin implements INodeType {
	methods = { listSearch: { searchWorkspaces, searchApiKeys } };

	description: INodeTypeDescription = {
		displayName: 'Claude Admin',
		name: 'claudeAdmin',
		icon: { light: 'file:claudeAdmin.svg', dark: 'file:claudeAdmin.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description:
			"Manage an Anthropic organization's API keys, workspaces, members and invites, and read its usage and cost reports through the Admin API",
		defaults: { name: 'Claude Admin' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'anthropicAdminApi', required: true }],
		properties: describeResources(RESOURCES, 'costReport'),
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
