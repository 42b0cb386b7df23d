import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import * as adminApiKey from './actions/adminApiKey';
import * as auditLog from './actions/auditLog';
import * as certificate from './actions/certificate';
import * as cost from './actions/cost';
import * as dataRetention from './actions/dataRetention';
import * as group from './actions/group';
import * as groupRole from './actions/groupRole';
import * as groupUser from './actions/groupUser';
import * as invite from './actions/invite';
import * as project from './actions/project';
import * as projectApiKey from './actions/projectApiKey';
import * as projectGroup from './actions/projectGroup';
import * as projectPermission from './actions/projectPermission';
import * as projectRateLimit from './actions/projectRateLimit';
import * as projectUser from './actions/projectUser';
import * as role from './actions/role';
import { router } from './actions/router';
import { searchProjectApiKeys, searchProjects, searchServiceAccounts } from './search';
import * as serviceAccount from './actions/serviceAccount';
import * as spendAlert from './actions/spendAlert';
import * as spendLimit from './actions/spendLimit';
import * as usage from './actions/usage';
import * as user from './actions/user';
import * as userRole from './actions/userRole';

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
		properties: [
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [
					{ name: 'Admin API Key', value: 'adminApiKey' },
					{ name: 'Audit Log', value: 'auditLog' },
					{ name: 'Certificate', value: 'certificate' },
					{ name: 'Cost', value: 'cost' },
					{ name: 'Data Retention', value: 'dataRetention' },
					{ name: 'Group', value: 'group' },
					{ name: 'Group Role', value: 'groupRole' },
					{ name: 'Group User', value: 'groupUser' },
					{ name: 'Invite', value: 'invite' },
					{ name: 'Project', value: 'project' },
					{ name: 'Project API Key', value: 'projectApiKey' },
					{ name: 'Project Group', value: 'projectGroup' },
					{ name: 'Project Permission', value: 'projectPermission' },
					{ name: 'Project Rate Limit', value: 'projectRateLimit' },
					{ name: 'Project User', value: 'projectUser' },
					{ name: 'Role', value: 'role' },
					{ name: 'Service Account', value: 'serviceAccount' },
					{ name: 'Spend Alert', value: 'spendAlert' },
					{ name: 'Spend Limit', value: 'spendLimit' },
					{ name: 'Usage', value: 'usage' },
					{ name: 'User', value: 'user' },
					{ name: 'User Role', value: 'userRole' },
				],
				default: 'cost',
			},
			...adminApiKey.description,
			...auditLog.description,
			...certificate.description,
			...cost.description,
			...dataRetention.description,
			...group.description,
			...groupRole.description,
			...groupUser.description,
			...invite.description,
			...project.description,
			...projectApiKey.description,
			...projectGroup.description,
			...projectPermission.description,
			...projectRateLimit.description,
			...projectUser.description,
			...role.description,
			...serviceAccount.description,
			...spendAlert.description,
			...spendLimit.description,
			...usage.description,
			...user.description,
			...userRole.description,
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
