import type {
	IAuthenticateGeneric,
	Icon,
	ICredentialTestRequest,
	ICredentialType,
	INodeProperties,
} from 'n8n-workflow';

export class AnthropicAdminApi implements ICredentialType {
	name = 'anthropicAdminApi';

	displayName = 'Anthropic Admin API';

	icon: Icon = {
		light: 'file:../nodes/ClaudeAdmin/claudeAdmin.svg',
		dark: 'file:../nodes/ClaudeAdmin/claudeAdmin.dark.svg',
	};

	documentationUrl = 'https://docs.claude.com/en/api/administration-api';

	properties: INodeProperties[] = [
		{
			displayName: 'Admin API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
			placeholder: 'sk-ant-admin...',
			description:
				'An organization Admin API key (starts with sk-ant-admin), created by an admin in the Claude Console under Settings → Admin keys. Ordinary API keys cannot call the Admin API.',
		},
		{
			displayName: 'Anthropic Version',
			name: 'anthropicVersion',
			type: 'string',
			default: '2023-06-01',
			description: 'Sent as the anthropic-version header',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: 'https://api.anthropic.com',
			description: 'Change only to go through a proxy that forwards to the Anthropic API',
		},
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			headers: {
				'x-api-key': '={{$credentials.apiKey}}',
				'anthropic-version': '={{$credentials.anthropicVersion || "2023-06-01"}}',
			},
		},
	};

	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.baseUrl}}',
			url: '/v1/organizations/workspaces',
			qs: { limit: 1 },
		},
	};
}
