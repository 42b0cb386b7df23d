/**
 * Turns a Volcengine credential and an outgoing HTTP request (as n8n hands it to a credential's
 * `authenticate`) into the signed request. Pure: no n8n import.
 */
import { signRequest, type HeaderSelection, type VolcengineCredentials } from './volcengineSigner';

/** Names the service to sign for, when the host does not tell (open.volcengineapi.com). */
export const SERVICE_HEADER = 'X-Volcengine-Service';
/** Overrides the region to sign for. */
export const REGION_HEADER = 'X-Volcengine-Region';

/** Services that Volcengine signs in one fixed region, whatever region the account works in. */
const GLOBAL_SERVICE_REGIONS: Record<string, string> = {
	iam: 'cn-north-1',
	billing: 'cn-north-1',
	sts: 'cn-north-1',
};

export class VolcengineCredentialError extends Error {}

export interface VolcengineCredentialFields {
	keyFormat?: unknown;
	accessKeyId?: unknown;
	secretAccessKey?: unknown;
	secretKeyPair?: unknown;
	sessionToken?: unknown;
	region?: unknown;
}

export interface ResolvedCredentials extends VolcengineCredentials {
	region: string;
}

function text(value: unknown): string {
	return typeof value === 'string' ? value.trim() : '';
}

/**
 * Reads "access_key_id:secret_access_key". The message never repeats the input: it may hold
 * the secret.
 */
export function parseAccessKeyPair(pair: string): { accessKeyId: string; secretAccessKey: string } {
	const trimmed = pair.trim();
	const colon = trimmed.indexOf(':');
	const accessKeyId = colon < 0 ? '' : trimmed.slice(0, colon).trim();
	const secretAccessKey = colon < 0 ? '' : trimmed.slice(colon + 1).trim();
	if (!accessKeyId || !secretAccessKey || /\s/.test(accessKeyId) || /\s/.test(secretAccessKey)) {
		throw new VolcengineCredentialError(
			'"Access Key Pair" must look like access_key_id:secret_access_key (two non-empty parts joined by one colon, no spaces)',
		);
	}
	return { accessKeyId, secretAccessKey };
}

export function resolveCredentials(fields: VolcengineCredentialFields): ResolvedCredentials {
	const keys =
		fields.keyFormat === 'pair'
			? parseAccessKeyPair(text(fields.secretKeyPair))
			: { accessKeyId: text(fields.accessKeyId), secretAccessKey: text(fields.secretAccessKey) };
	if (!keys.accessKeyId)
		throw new VolcengineCredentialError('"Access Key ID" is empty in the Volcengine credential');
	if (!keys.secretAccessKey)
		throw new VolcengineCredentialError(
			'"Secret Access Key" is empty in the Volcengine credential',
		);
	const region = text(fields.region);
	if (!region) {
		throw new VolcengineCredentialError(
			'"Region" is empty in the Volcengine credential: enter the region to sign for, such as cn-north-1 or cn-beijing',
		);
	}
	const sessionToken = text(fields.sessionToken);
	return { ...keys, region, ...(sessionToken ? { sessionToken } : {}) };
}

/** `iam.volcengineapi.com` → iam; `ark.cn-beijing.volcengineapi.com` → ark in cn-beijing. */
export function serviceFromHost(hostname: string): { service?: string; region?: string } {
	const match =
		/^([a-z0-9-]+)(?:\.([a-z]{2}-[a-z]+-\d+|[a-z]{2}-[a-z]+))?\.(?:volcengineapi|byteplusapi)\.com$/i.exec(
			hostname,
		);
	if (!match || match[1].toLowerCase() === 'open') return {};
	return { service: match[1].toLowerCase(), region: match[2]?.toLowerCase() };
}

/** The parts of n8n's request options that signing reads and rewrites. */
export interface OutgoingRequest {
	url?: string;
	uri?: string;
	baseURL?: string;
	method?: string;
	qs?: Record<string, unknown>;
	headers?: Record<string, unknown>;
	body?: unknown;
	[key: string]: unknown;
}

const REPLACED_HEADERS = new Set([
	'authorization',
	'host',
	'x-date',
	'x-content-sha256',
	'x-security-token',
	SERVICE_HEADER.toLowerCase(),
	REGION_HEADER.toLowerCase(),
]);

function headerValue(headers: Record<string, unknown>, name: string): string {
	for (const [key, value] of Object.entries(headers))
		if (key.toLowerCase() === name.toLowerCase() && value !== undefined)
			return String(value).trim();
	return '';
}

function bodyText(
	request: OutgoingRequest,
	headers: Record<string, string>,
): string | Buffer | undefined {
	const { body } = request;
	const method = (request.method ?? 'GET').toUpperCase();
	if (body === undefined || body === null || body === '') return undefined;
	if (typeof body === 'string' || Buffer.isBuffer(body)) return body;
	if (body instanceof URLSearchParams) {
		if (!headerValue(headers, 'content-type'))
			headers['Content-Type'] = 'application/x-www-form-urlencoded';
		return body.toString();
	}
	if (typeof body === 'object' && body.constructor === Object) {
		if ((method === 'GET' || method === 'HEAD') && Object.keys(body).length === 0) return undefined;
		if (!headerValue(headers, 'content-type')) headers['Content-Type'] = 'application/json';
		return JSON.stringify(body);
	}
	throw new VolcengineCredentialError(
		'Volcengine requests are signed over their body, and this body (a stream or form data) cannot be signed: send JSON, text or form-urlencoded',
	);
}

function addQuery(query: Record<string, string[]>, key: string, value: unknown): void {
	if (value === undefined || value === null) return;
	const values = Array.isArray(value) ? value : [value];
	for (const element of values) (query[key] ??= []).push(String(element));
}

/**
 * Signs a request for Volcengine's OpenAPI and returns the request to send: query in canonical
 * order inside the URL, and the X-Date, X-Content-Sha256, X-Security-Token and Authorization
 * headers. The service comes from the X-Volcengine-Service header or the host; the region from
 * X-Volcengine-Region, the service's fixed region, the host, or the credential, in that order.
 */
export function signOutgoingRequest(
	fields: VolcengineCredentialFields,
	request: OutgoingRequest,
	options: { date?: Date; headerSelection?: HeaderSelection } = {},
): OutgoingRequest {
	const credentials = resolveCredentials(fields);
	const rawUrl = request.url ?? request.uri;
	if (!rawUrl) throw new VolcengineCredentialError('The request to sign has no URL');
	const url = request.baseURL ? new URL(rawUrl, request.baseURL) : new URL(rawUrl);

	const given = request.headers ?? {};
	const headers: Record<string, string> = {};
	for (const [name, value] of Object.entries(given))
		if (value !== undefined && !REPLACED_HEADERS.has(name.toLowerCase()))
			headers[name] = String(value);

	const fromHost = serviceFromHost(url.hostname);
	const service = headerValue(given, SERVICE_HEADER) || fromHost.service;
	if (!service) {
		throw new VolcengineCredentialError(
			`Cannot tell which Volcengine service to sign for at ${url.host}: add the header ${SERVICE_HEADER} (for example iam, billing or ark) or use the service's own host, such as iam.volcengineapi.com`,
		);
	}
	const region =
		headerValue(given, REGION_HEADER) ||
		GLOBAL_SERVICE_REGIONS[service] ||
		fromHost.region ||
		credentials.region;

	const query: Record<string, string[]> = {};
	url.searchParams.forEach((value, key) => addQuery(query, key, value));
	for (const [key, value] of Object.entries(request.qs ?? {})) addQuery(query, key, value);

	const body = bodyText(request, headers);
	const signed = signRequest({
		credentials,
		region,
		service,
		method: request.method ?? 'GET',
		host: url.host,
		path: url.pathname,
		query,
		headers,
		body,
		date: options.date,
		headerSelection: options.headerSelection,
	});

	const signedUrl = `${url.origin}${url.pathname}${signed.queryString ? `?${signed.queryString}` : ''}`;
	const result: OutgoingRequest = { ...request, headers: signed.headers, qs: undefined };
	delete result.baseURL;
	if (request.uri !== undefined) result.uri = signedUrl;
	else result.url = signedUrl;
	if (body !== undefined) result.body = body;
	else delete result.body;
	return result;
}
