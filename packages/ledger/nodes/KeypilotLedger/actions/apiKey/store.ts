import { KEYS, keyRow, type KeyProvider } from '../../../../core/keys';
import { storeOperation } from '../store';

export const operation = storeOperation<KeyProvider>({
	resource: 'apiKey',
	name: 'Store',
	action: 'Store API keys',
	description: "Write a provider's key list: status, owner, limits (never a secret)",
	providers: [
		{
			name: 'Claude Admin: API Keys',
			value: 'anthropic',
			from: 'apiKey',
			description: 'API Key → Get Many',
		},
		{
			name: 'OpenAI Admin: Project API Keys',
			value: 'openai',
			from: 'projectApiKey',
			description: 'Project API Key → Get Many',
		},
		{ name: 'OpenRouter: Keys', value: 'openrouter', from: 'key', description: 'Key → Get Many' },
		{
			name: 'Volcengine: Access Keys',
			value: 'volcengine',
			from: 'accessKey',
			description: 'Access Key → Get Many',
		},
	],
	extraFields: [
		{
			displayName: 'Project ID',
			name: 'projectId',
			type: 'string',
			default: '',
			description: 'The OpenAI project the keys belong to (the list does not say)',
			displayOptions: { show: { provider: ['openai'] } },
		},
	],
	spec: () => KEYS,
	rows(provider, item, itemIndex) {
		const projectId =
			provider === 'openai' ? (this.getNodeParameter('projectId', itemIndex, '') as string) : '';
		return [keyRow(provider, item, projectId)];
	},
});
