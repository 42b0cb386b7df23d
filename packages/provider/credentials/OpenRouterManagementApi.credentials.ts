import type {
	IAuthenticateGeneric,
	Icon,
	ICredentialTestRequest,
	ICredentialType,
	INodeProperties,
} from 'n8n-workflow';

export class OpenRouterManagementApi implements ICredentialType {
	name = 'openRouterManagementApi';

	displayName = 'OpenRouter Management API';

	icon: Icon = {
		light: 'file:../nodes/OpenRouter/openRouter.svg',
		dark: 'file:../nodes/OpenRouter/openRouter.dark.svg',
	};

	documentationUrl = 'https://openrouter.ai/docs/features/provisioning-api-keys';

	properties: INodeProperties[] = [
		{
			displayName: 'Management API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
			placeholder: 'sk-or-v1-...',
			description:
				'A Management (provisioning) key from openrouter.ai/settings/management-keys. It manages keys and reads credits; it cannot call models.',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: 'https://openrouter.ai/api/v1',
		},
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: { headers: { Authorization: '=Bearer {{$credentials.apiKey}}' } },
	};

	test: ICredentialTestRequest = {
		request: { baseURL: '={{$credentials.baseUrl}}', url: '/keys' },
	};
}
