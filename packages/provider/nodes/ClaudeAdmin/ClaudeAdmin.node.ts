import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import * as apiKey from './actions/apiKey';
import * as claudeCode from './actions/claudeCode';
import * as costReport from './actions/costReport';
import * as invite from './actions/invite';
import { router } from './actions/router';
import { searchApiKeys, searchWorkspaces } from './search';
import * as usageReport from './actions/usageReport';
import * as user from './actions/user';
import * as workspace from './actions/workspace';
import * as workspaceMember from './actions/workspaceMember';

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
		properties: [
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [
					{ name: 'API Key', value: 'apiKey' },
					{ name: 'Claude Code Usage', value: 'claudeCode' },
					{ name: 'Cost Report', value: 'costReport' },
					{ name: 'Invite', value: 'invite' },
					{ name: 'Usage Report', value: 'usageReport' },
					{ name: 'User', value: 'user' },
					{ name: 'Workspace', value: 'workspace' },
					{ name: 'Workspace Member', value: 'workspaceMember' },
				],
				default: 'costReport',
			},
			...apiKey.description,
			...claudeCode.description,
			...costReport.description,
			...invite.description,
			...usageReport.description,
			...user.description,
			...workspace.description,
			...workspaceMember.description,
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
