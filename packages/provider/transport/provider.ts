import type { ICredentialDataDecryptedObject, IDataObject } from 'n8n-workflow';

import type { RetryPolicy } from '../core/retry';

/** What the shared transport needs to know about one provider API; endpoints live in the nodes. */
export interface ProviderApi {
	/** Shown in error messages: "OpenAI", "Anthropic", ... */
	displayName: string;
	credentialType: string;
	baseUrl(credentials: ICredentialDataDecryptedObject): string;
	/** Credential fields whose values must never appear in output or errors. */
	secretFields: string[];
	/** Further secrets derived from the credential, such as one half of a combined key field. */
	derivedSecrets?(credentials: ICredentialDataDecryptedObject): string[];
	/** How array query parameters are written: `group_by[]=a` (brackets) or `group_by=a` (repeat). */
	arrayFormat: 'brackets' | 'repeat';
	/** Pulls the provider's own error text out of an error response body. */
	errorMessage(body: unknown): string | undefined;
	/**
	 * The message for a 401: which credential was rejected and what to check. A function also
	 * gets the provider's own (redacted) error text, for providers whose 401s explain themselves.
	 */
	unauthorizedMessage: string | ((providerText: string) => string);
	/**
	 * For providers that report failures inside a 2xx body, or whose error codes say more than
	 * the status: `throttled` is retried always, `transient` only for requests safe to repeat,
	 * `failed` not at all. Undefined means the body carries no error.
	 */
	bodyError?(body: unknown): 'throttled' | 'transient' | 'failed' | undefined;
	retry?: Partial<RetryPolicy>;
	/** Extra headers for every request, such as a version header read from the credential. */
	headers?(credentials: ICredentialDataDecryptedObject): Record<string, string>;
}

export type QueryValue = string | number | boolean | undefined | null | Array<string | number>;
export type Query = Record<string, QueryValue>;

export interface ApiRequest {
	method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
	path: string;
	query?: Query;
	body?: IDataObject | IDataObject[];
	headers?: Record<string, string>;
	/**
	 * Whether repeating the request after a 5xx or a dropped connection is safe. Defaults to
	 * true for GET, PUT and DELETE; set false for a GET that creates something.
	 */
	idempotent?: boolean;
	itemIndex: number;
}

export function buildQueryString(
	query: Query | undefined,
	arrayFormat: ProviderApi['arrayFormat'],
): string {
	const params = new URLSearchParams();
	for (const [key, value] of Object.entries(query ?? {})) {
		if (value === undefined || value === null || value === '') continue;
		if (Array.isArray(value)) {
			const name = arrayFormat === 'brackets' ? `${key}[]` : key;
			for (const element of value) params.append(name, String(element));
		} else {
			params.append(key, String(value));
		}
	}
	const text = params.toString().replace(/\+/g, '%20');
	return text ? `?${text}` : '';
}

/** Joins a base URL and an API path without doubling or dropping slashes. */
export function joinUrl(base: string, path: string): string {
	return `${base.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`;
}

/** Path segment for an id typed by a user: encoded so it cannot change the URL's shape. */
export function segment(value: string): string {
	return encodeURIComponent(value);
}
