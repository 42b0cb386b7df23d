import type { IDataObject } from 'n8n-workflow';

import type { ProviderApi } from '../../transport/provider';

export const anthropicApi: ProviderApi = {
	displayName: 'Anthropic',
	credentialType: 'anthropicAdminApi',
	baseUrl: (credentials) =>
		`${String(credentials.baseUrl || 'https://api.anthropic.com').replace(/\/+$/, '')}/v1`,
	secretFields: ['apiKey'],
	arrayFormat: 'brackets',
	errorMessage(body) {
		const error = (body as IDataObject | undefined)?.error as IDataObject | undefined;
		if (!error) return undefined;
		const message = typeof error.message === 'string' ? error.message : undefined;
		return error.type && message ? `${String(error.type)}: ${message}` : message;
	},
	unauthorizedMessage:
		'Anthropic rejected the admin key (401). Check that the credential holds an Admin API key (sk-ant-admin...) that has not been revoked.',
};

/** Admin lists page with `after_id=<last_id>` until `has_more` is false; up to 1000 a page. */
export const listPages = {
	style: 'cursor',
	cursorParam: 'after_id',
	limitParam: 'limit',
	pageSize: 100,
} as const;

/** Usage and cost reports page with `page=<next_page>`; `limit` counts time buckets. */
export const reportPages = (pageSize: number) =>
	({ style: 'page', pageParam: 'page', limitParam: 'limit', pageSize }) as const;
