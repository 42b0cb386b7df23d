import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { ApiRequest, ProviderApi } from '../../transport/provider';
import { apiBody } from '../../transport/request';

export const openRouterApi: ProviderApi = {
	displayName: 'OpenRouter',
	credentialType: 'openRouterManagementApi',
	baseUrl: (credentials) => String(credentials.baseUrl || 'https://openrouter.ai/api/v1'),
	secretFields: ['apiKey'],
	arrayFormat: 'repeat',
	errorMessage(body) {
		const error = (body as IDataObject | undefined)?.error as IDataObject | string | undefined;
		if (typeof error === 'string') return error;
		return typeof error?.message === 'string' ? error.message : undefined;
	},
	unauthorizedMessage:
		'OpenRouter rejected the management key (401). Check that the credential holds a Management API key that has not been deleted.',
};

/** `GET /keys` pages by `offset`, 100 keys at a time. */
export const keyPages = { style: 'offset', offsetParam: 'offset', pageSize: 100 } as const;

export async function openRouter(
	this: IExecuteFunctions,
	request: ApiRequest,
): Promise<IDataObject> {
	return ((await apiBody.call(this, openRouterApi, request)) as IDataObject | undefined) ?? {};
}

/** Most answers wrap their object in `data`. */
export async function openRouterData(
	this: IExecuteFunctions,
	request: ApiRequest,
): Promise<IDataObject> {
	const body = await openRouter.call(this, request);
	return (body.data as IDataObject | undefined) ?? body;
}
