import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { SERVICE_HEADER, REGION_HEADER } from '../../core/volcengineAuth';
import { listAll } from '../../transport/paginate';
import type { ProviderApi, Query } from '../../transport/provider';
import { apiBody } from '../../transport/request';

interface VolcengineErrorBody {
	Code?: string;
	Message?: string;
}

function responseMetadata(body: unknown): IDataObject | undefined {
	const metadata = (body as IDataObject | undefined)?.ResponseMetadata;
	return metadata && typeof metadata === 'object' ? (metadata as IDataObject) : undefined;
}

function volcengineError(body: unknown): VolcengineErrorBody | undefined {
	const error = responseMetadata(body)?.Error;
	return error && typeof error === 'object' ? (error as VolcengineErrorBody) : undefined;
}

/** Error codes Volcengine uses for rate limiting, and for failures worth one more try. */
const THROTTLED = new Set([
	'FlowLimitExceeded',
	'AccountFlowLimitExceeded',
	'RequestLimitExceeded',
	'TooManyRequests',
	'Throttling',
]);
const TRANSIENT = new Set([
	'InternalError',
	'InternalServiceError',
	'InternalServiceTimeout',
	'ServiceUnavailable',
	'ServiceUnavailableTemp',
]);

export const volcengineApi: ProviderApi = {
	displayName: 'Volcengine',
	credentialType: 'volcengineApi',
	baseUrl: (credentials) => String(credentials.endpoint || 'https://open.volcengineapi.com'),
	secretFields: ['secretAccessKey', 'secretKeyPair', 'sessionToken'],
	derivedSecrets(credentials) {
		const pair = typeof credentials.secretKeyPair === 'string' ? credentials.secretKeyPair : '';
		const colon = pair.indexOf(':');
		return colon > 0 ? [pair.slice(colon + 1).trim()] : [];
	},
	arrayFormat: 'repeat',
	errorMessage(body) {
		const error = volcengineError(body);
		if (!error) return undefined;
		const requestId = responseMetadata(body)?.RequestId;
		const text = [error.Code, error.Message].filter(Boolean).join(': ');
		return `${text}${requestId ? ` (RequestId ${String(requestId)})` : ''}`;
	},
	unauthorizedMessage: (providerText) =>
		`Volcengine did not accept the credential (401)${providerText ? `: ${providerText}` : ''}. Check the Access Key ID and Secret Access Key (and the session token of temporary keys), and that this machine's clock is right.`,
	bodyError(body) {
		const code = volcengineError(body)?.Code;
		if (code === undefined) return undefined;
		if (THROTTLED.has(code)) return 'throttled';
		return TRANSIENT.has(code) ? 'transient' : 'failed';
	},
};

export interface VolcengineCall {
	service: string;
	version: string;
	action: string;
	method?: 'GET' | 'POST';
	query?: Query;
	body?: IDataObject;
	/** Region to sign for; IAM and billing are signed for their fixed region by themselves. */
	region?: string;
	/** Whether repeating the call after a 5xx is harmless; false for anything that creates. */
	idempotent: boolean;
	itemIndex: number;
}

function request(call: VolcengineCall) {
	return {
		method: call.method ?? 'GET',
		path: '/',
		query: { Action: call.action, Version: call.version, ...call.query },
		body: call.body,
		headers: {
			[SERVICE_HEADER]: call.service,
			...(call.region ? { [REGION_HEADER]: call.region } : {}),
		},
		idempotent: call.idempotent,
		itemIndex: call.itemIndex,
	};
}

/** One OpenAPI action; returns its `Result`. */
export async function volcengine(
	this: IExecuteFunctions,
	call: VolcengineCall,
): Promise<IDataObject> {
	const body = (await apiBody.call(this, volcengineApi, request(call))) as IDataObject | undefined;
	return (body?.Result as IDataObject | undefined) ?? {};
}

/**
 * A list read with Limit/Offset until a short page: in the query for IAM, in the JSON body
 * for billing.
 */
export async function volcengineList(
	this: IExecuteFunctions,
	call: VolcengineCall,
	options: {
		limit: number | undefined;
		paramsIn: 'query' | 'body';
		extract: (body: IDataObject) => IDataObject[];
	},
): Promise<IDataObject[]> {
	return await listAll.call(
		this,
		volcengineApi,
		request(call),
		{
			style: 'offset',
			offsetParam: 'Offset',
			limitParam: 'Limit',
			pageSize: 100,
			paramsIn: options.paramsIn,
		},
		{ limit: options.limit, extract: options.extract },
	);
}

/** Billing list rows: `Result.List` in ListBillOverviewByProd and ListBillDetail (2022-01-01). */
export function billingRows(body: IDataObject): IDataObject[] {
	const result = (body.Result ?? {}) as IDataObject;
	const rows = result.List;
	return Array.isArray(rows) ? (rows as IDataObject[]) : [];
}

export const IAM = { service: 'iam', version: '2018-01-01' } as const;
export const BILLING = { service: 'billing', version: '2022-01-01' } as const;
