import type { IDataObject } from 'n8n-workflow';

import type { ProviderApi } from '../../transport/provider';

export const openAiApi: ProviderApi = {
	displayName: 'OpenAI',
	credentialType: 'openAiAdminApi',
	baseUrl: (credentials) => String(credentials.baseUrl || 'https://api.openai.com/v1'),
	secretFields: ['apiKey'],
	// The definition's array parameters are form-exploded: `group_by=a&group_by=b`.
	arrayFormat: 'repeat',
	errorMessage(body) {
		const error = (body as IDataObject | undefined)?.error as IDataObject | string | undefined;
		if (typeof error === 'string') return error;
		if (error && typeof error.message === 'string') return error.message;
		return undefined;
	},
	unauthorizedMessage:
		'OpenAI rejected the admin key (401). Check that the credential holds an organization Admin API key (sk-admin-...) that has not been revoked.',
};

/** OpenAI's object lists page with `after=<last_id>` and accept up to 100 items a page. */
export const listPages = {
	style: 'cursor',
	cursorParam: 'after',
	limitParam: 'limit',
	pageSize: 100,
} as const;

/** Usage and cost reports page with `page=<next_page>`. */
export const reportPages = (pageSize: number) =>
	({ style: 'page', pageParam: 'page', limitParam: 'limit', pageSize }) as const;
