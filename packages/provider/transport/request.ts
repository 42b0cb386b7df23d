import type {
	IExecuteFunctions,
	IHttpRequestOptions,
	ILoadOptionsFunctions,
	JsonObject,
} from 'n8n-workflow';
import { NodeApiError, NodeOperationError, sleep } from 'n8n-workflow';

import { budgetRefusal, type BudgetRefusal } from '../common/budgetRefusal';
import { parseJsonExact } from '../common/exactJson';
import { redactSecrets } from '../common/redact';
import {
	DEFAULT_RETRY_POLICY,
	isRetryableStatus,
	parseRetryAfter,
	retryDelayMs,
	type RetryPolicy,
} from '../core/retry';
import { buildQueryString, joinUrl, type ApiRequest, type ProviderApi } from './provider';

/** Where a request can be made from: an operation, or a list search while the user types. */
export type ApiContext = IExecuteFunctions | ILoadOptionsFunctions;

export interface ApiResponse {
	statusCode: number;
	headers: Record<string, unknown>;
	body: unknown;
}

const NETWORK_ERRORS = new Set([
	'ECONNRESET',
	'ETIMEDOUT',
	'ECONNREFUSED',
	'EAI_AGAIN',
	'EPIPE',
	'ECONNABORTED',
]);

function parseBody(text: unknown): unknown {
	if (typeof text !== 'string') return text;
	if (text.trim() === '') return undefined;
	try {
		return parseJsonExact(text);
	} catch {
		return text;
	}
}

/**
 * Sends one request to a provider API through n8n's credential machinery: the credential's
 * `authenticate` adds the key, so the secret never passes through node code. Retries 429 always,
 * and 408, 5xx and dropped connections for requests that are safe to repeat, with backoff that
 * honours `Retry-After`, then fails with a
 * NodeApiError carrying the provider's own message (secrets redacted).
 */
export async function apiRequest(
	this: ApiContext,
	api: ProviderApi,
	request: ApiRequest,
): Promise<ApiResponse> {
	const credentials = await this.getCredentials(api.credentialType, request.itemIndex);
	const secrets = [
		...api.secretFields.map((field) => credentials[field] as string | undefined),
		...(api.derivedSecrets?.(credentials) ?? []),
	];
	const policy: RetryPolicy = { ...DEFAULT_RETRY_POLICY, ...api.retry };
	const url =
		joinUrl(api.baseUrl(credentials), request.path) +
		buildQueryString(request.query, api.arrayFormat);
	const options: IHttpRequestOptions = {
		method: request.method,
		url,
		headers: { Accept: 'application/json', ...api.headers?.(credentials), ...request.headers },
		json: false,
		encoding: 'text',
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
	};
	if (request.body !== undefined) {
		options.body = JSON.stringify(request.body);
		options.headers = { ...options.headers, 'Content-Type': 'application/json' };
	}

	// A create that failed with a 5xx or a dropped connection may still have happened at the
	// provider: only requests that are safe to repeat are retried then. A 429 was not processed.
	const repeatable =
		request.idempotent ??
		(request.method === 'GET' || request.method === 'DELETE' || request.method === 'PUT');

	for (let attempt = 0; ; attempt++) {
		let response: ApiResponse;
		try {
			const raw = (await this.helpers.httpRequestWithAuthentication.call(
				this,
				api.credentialType,
				options,
			)) as { statusCode: number; headers: Record<string, unknown>; body: unknown };
			response = {
				statusCode: raw.statusCode,
				headers: raw.headers ?? {},
				body: parseBody(raw.body),
			};
		} catch (error) {
			const code =
				(error as { code?: string }).code ?? (error as { cause?: { code?: string } }).cause?.code;
			if (repeatable && code && NETWORK_ERRORS.has(code) && attempt < policy.maxRetries) {
				await sleep(retryDelayMs(policy, attempt, undefined));
				continue;
			}
			const message = redactSecrets((error as Error).message ?? String(error), secrets);
			throw new NodeOperationError(
				this.getNode(),
				`Could not reach ${api.displayName}: ${message}`,
				{
					itemIndex: request.itemIndex,
					description: `${request.method} ${redactSecrets(url, secrets)}`,
				},
			);
		}

		const { statusCode } = response;
		const bodyError = api.bodyError?.(response.body);
		if (statusCode >= 200 && statusCode < 300 && !bodyError) return response;
		// A spend limit or budget: not a rate limit. Retried only when the provider says the request
		// was refused before anything ran (OpenRouter's in-flight budget), after its Retry-After.
		const refusal = budgetRefusal(statusCode, response.body);
		if (refusal) {
			if (refusal.retryable && attempt < policy.maxRetries) {
				await sleep(
					retryDelayMs(policy, attempt, parseRetryAfter(response.headers['retry-after'])),
				);
				continue;
			}
			throw providerError.call(this, api, request, response, secrets, attempt, refusal);
		}
		const retryable =
			statusCode === 429 ||
			bodyError === 'throttled' ||
			(repeatable && (isRetryableStatus(statusCode) || bodyError === 'transient'));
		if (retryable && attempt < policy.maxRetries) {
			await sleep(retryDelayMs(policy, attempt, parseRetryAfter(response.headers['retry-after'])));
			continue;
		}
		throw providerError.call(this, api, request, response, secrets, attempt);
	}
}

function providerError(
	this: ApiContext,
	api: ProviderApi,
	request: ApiRequest,
	response: ApiResponse,
	secrets: Array<string | undefined>,
	retries: number,
	refusal?: BudgetRefusal,
): NodeApiError {
	const { statusCode, body } = response;
	const providerText = redactSecrets(
		api.errorMessage(body) ?? (typeof body === 'string' ? body.slice(0, 500) : ''),
		secrets,
	);
	let message: string;
	const unauthorized = statusCode === 401;
	if (refusal) {
		message = redactSecrets(refusal.message, secrets);
	} else if (unauthorized) {
		message =
			typeof api.unauthorizedMessage === 'function'
				? api.unauthorizedMessage(providerText)
				: api.unauthorizedMessage;
	} else if (statusCode === 429 || api.bodyError?.(body) === 'throttled') {
		message = `${api.displayName} rate limit still exceeded after ${retries} retries${providerText ? `: ${providerText}` : ''}`;
	} else if (statusCode >= 200 && statusCode < 300) {
		message = `${api.displayName} reported an error${providerText ? `: ${providerText}` : ''}`;
	} else {
		message = `${api.displayName} returned ${statusCode}${providerText ? `: ${providerText}` : ''}`;
	}
	const safeBody: JsonObject =
		unauthorized && typeof api.unauthorizedMessage === 'string'
			? { status: statusCode }
			: { status: statusCode, message: providerText };
	return new NodeApiError(this.getNode(), safeBody, {
		message,
		description: `${request.method} ${request.path}${retries ? ` (after ${retries} retries)` : ''}`,
		httpCode: String(statusCode),
		itemIndex: request.itemIndex,
	});
}

/** Convenience for callers that need only the parsed body. */
export async function apiBody<T = unknown>(
	this: ApiContext,
	api: ProviderApi,
	request: ApiRequest,
): Promise<T> {
	return (await apiRequest.call(this, api, request)).body as T;
}
