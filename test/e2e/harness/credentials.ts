import type { TestPostgres } from '../../helpers/postgres';

/** Credentials as the workflows in workflows/ reference them (same IDs and names). */
export function workflowCredentials(options: {
	postgres: TestPostgres;
	database: string;
	openAi?: { apiKey: string; baseUrl: string; organizationId?: string };
	volcengine?: { accessKeyId: string; secretAccessKey: string; endpoint: string; region?: string };
	anthropic?: { apiKey: string; baseUrl: string };
	openRouter?: { apiKey: string; baseUrl: string };
	/** n8n's own OpenAI credential: the provider key the gateway injects. */
	upstream?: { apiKey: string };
	/** n8n's own OpenAI and Anthropic credentials, as the KeyPilot Chat Model uses them. */
	anthropicUpstream?: { apiKey: string };
	chatModels?: { openAiKey: string; openAiUrl: string; anthropicKey: string; anthropicUrl: string };
}): object[] {
	const {
		postgres,
		openAi,
		volcengine,
		anthropic,
		openRouter,
		upstream,
		anthropicUpstream,
		chatModels,
	} = options;
	const credentials: object[] = [
		{
			id: 'kpPostgres000001',
			name: 'KeyPilot Postgres',
			type: 'postgres',
			data: {
				host: postgres.host,
				port: postgres.port,
				database: options.database,
				user: postgres.user,
				password: postgres.password,
				ssl: 'disable',
			},
		},
	];
	if (openAi) {
		credentials.push({
			id: 'kpOpenAiAdmin001',
			name: 'OpenAI Admin account',
			type: 'openAiAdminApi',
			data: {
				apiKey: openAi.apiKey,
				organizationId: openAi.organizationId ?? '',
				baseUrl: openAi.baseUrl,
			},
		});
	}
	if (volcengine) {
		credentials.push({
			id: 'kpVolcengine0001',
			name: 'Volcengine account',
			type: 'volcengineApi',
			data: {
				keyFormat: 'separate',
				accessKeyId: volcengine.accessKeyId,
				secretAccessKey: volcengine.secretAccessKey,
				region: volcengine.region ?? 'cn-beijing',
				sessionToken: '',
				endpoint: volcengine.endpoint,
			},
		});
	}
	if (anthropic) {
		credentials.push({
			id: 'kpAnthropicAdm01',
			name: 'Anthropic Admin account',
			type: 'anthropicAdminApi',
			data: {
				apiKey: anthropic.apiKey,
				anthropicVersion: '2023-06-01',
				baseUrl: anthropic.baseUrl,
			},
		});
	}
	if (openRouter) {
		credentials.push({
			id: 'kpOpenRouterMg01',
			name: 'OpenRouter Management account',
			type: 'openRouterManagementApi',
			data: { apiKey: openRouter.apiKey, baseUrl: openRouter.baseUrl },
		});
	}
	if (upstream) {
		credentials.push({
			id: 'kpOpenAiApi00001',
			name: 'OpenAI account (gateway upstream)',
			type: 'openAiApi',
			data: {
				apiKey: upstream.apiKey,
				organizationId: '',
				url: 'https://api.openai.com/v1',
				header: false,
			},
		});
	}
	if (anthropicUpstream) {
		credentials.push({
			id: 'kpAnthropicGw001',
			name: 'Anthropic account (gateway upstream)',
			type: 'anthropicApi',
			data: { apiKey: anthropicUpstream.apiKey, url: 'https://api.anthropic.com', header: false },
		});
	}
	if (chatModels) {
		credentials.push(
			{
				id: 'kpOpenAiChat0001',
				name: 'OpenAI account (agent)',
				type: 'openAiApi',
				data: {
					apiKey: chatModels.openAiKey,
					organizationId: '',
					url: chatModels.openAiUrl,
					header: false,
				},
			},
			{
				id: 'kpAnthropicApi01',
				name: 'Anthropic account (agent)',
				type: 'anthropicApi',
				data: { apiKey: chatModels.anthropicKey, url: chatModels.anthropicUrl, header: false },
			},
		);
	}
	return credentials;
}
