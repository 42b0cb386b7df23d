import type { TestPostgres } from './postgres';

/** Credentials as the workflows in workflows/ reference them (same IDs and names). */
export function workflowCredentials(options: {
	postgres: TestPostgres;
	database: string;
	openAi: { apiKey: string; baseUrl: string; organizationId?: string };
}): object[] {
	const { postgres } = options;
	return [
		{
			id: 'kpOpenAiAdmin001',
			name: 'OpenAI Admin account',
			type: 'openAiAdminApi',
			data: {
				apiKey: options.openAi.apiKey,
				organizationId: options.openAi.organizationId ?? '',
				baseUrl: options.openAi.baseUrl,
			},
		},
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
}
