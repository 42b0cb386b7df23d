import type {
	IAuthenticateGeneric,
	Icon,
	ICredentialTestRequest,
	ICredentialType,
	INodeProperties,
} from 'n8n-workflow';

export class OpenAiAdminApi implements ICredentialType {
	name = 'openAiAdminApi';

	displayName = 'OpenAI Admin API';

	icon: Icon = {
		light: 'file:../nodes/OpenAiAdmin/openAiAdmin.svg',
		dark: 'file:../nodes/OpenAiAdmin/openAiAdmin.dark.svg',
	};

	documentationUrl = 'https://platform.openai.com/docs/api-reference/administration';

	properties: INodeProperties[] = [
		{
			displayName: 'Admin API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
			placeholder: 'sk-admin-...',
			description:
				'An organization Admin API key (starts with sk-admin-), created by an organization owner under Settings → Admin keys. Project keys (sk-proj-) cannot call the Administration API.',
		},
		{
			displayName: 'Organization ID',
			name: 'organizationId',
			type: 'string',
			default: '',
			placeholder: 'org-...',
			description: 'Optional. Sent as the OpenAI-Organization header when set.',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: 'https://api.openai.com/v1',
			description: 'Change only to go through a proxy that forwards to the OpenAI API',
		},
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			headers: {
				Authorization: '=Bearer {{$credentials.apiKey}}',
				'OpenAI-Organization': '={{$credentials.organizationId || undefined}}',
			},
		},
	};

	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.baseUrl}}',
			url: '/organization/projects',
			qs: { limit: 1 },
		},
	};
}
