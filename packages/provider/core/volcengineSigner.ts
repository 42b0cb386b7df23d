/**
 * Volcengine OpenAPI request signing (not AWS SigV4: algorithm "HMAC-SHA256", a signing key
 * derived from the bare secret, a credential scope ending in "/request", X-Date and
 * X-Content-Sha256 headers). Pure: no n8n import, only node:crypto.
 */
import { createHash, createHmac } from 'node:crypto';

export interface VolcengineCredentials {
	accessKeyId: string;
	secretAccessKey: string;
	/** STS session token; sent and signed as X-Security-Token. */
	sessionToken?: string;
}

/**
 * Which headers are signed. `sdk-go-python` (the default) signs Content-Type, Host and every
 * X-* header, as Volcengine's Go and Python SDKs do; `sdk-node` signs every header present
 * except Content-Type and a few transport headers, as the official Node SDK does.
 */
export type HeaderSelection = 'sdk-go-python' | 'sdk-node';

export interface SignInput {
	credentials: VolcengineCredentials;
	region: string;
	service: string;
	method: string;
	host: string;
	path?: string;
	query?: Record<string, string | number | boolean | Array<string | number> | undefined>;
	headers?: Record<string, string>;
	body?: string | Buffer | null;
	date?: Date;
	headerSelection?: HeaderSelection;
}

export interface SignedRequest {
	/**
	 * Headers to send: the input headers plus X-Date, X-Content-Sha256, X-Security-Token,
	 * Authorization (and Host in the Go/Python style).
	 */
	headers: Record<string, string>;
	/** The canonical (sorted, RFC 3986 escaped) query string; safe to send as is. */
	queryString: string;
	canonicalRequest: string;
	stringToSign: string;
	signingKey: Buffer;
	authorization: string;
	xDate: string;
}

const NODE_SDK_UNSIGNABLE = new Set([
	'authorization',
	'content-type',
	'content-length',
	'user-agent',
	'presigned-expires',
	'expect',
]);

/** RFC 3986: everything but A-Z a-z 0-9 - _ . ~ is percent-encoded (space as %20, * as %2A). */
export function rfc3986(value: string): string {
	return encodeURIComponent(value).replace(
		/[!'()*]/g,
		(c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
	);
}

export function canonicalQueryString(query: SignInput['query'] = {}): string {
	const pairs: Array<[string, string]> = [];
	for (const [key, value] of Object.entries(query)) {
		if (value === undefined) continue;
		for (const element of Array.isArray(value) ? value : [value])
			pairs.push([rfc3986(key), rfc3986(String(element))]);
	}
	pairs.sort(([ka, va], [kb, vb]) => (ka < kb ? -1 : ka > kb ? 1 : va < vb ? -1 : va > vb ? 1 : 0));
	return pairs.map(([key, value]) => `${key}=${value}`).join('&');
}

function canonicalPath(path: string): string {
	return (
		path
			.split('/')
			.map((segment) => rfc3986(decodeURIComponent(segment)))
			.join('/') || '/'
	);
}

export function sha256Hex(data: string | Buffer): string {
	return createHash('sha256').update(data).digest('hex');
}

function hmac(key: string | Buffer, data: string): Buffer {
	return createHmac('sha256', key).update(data, 'utf8').digest();
}

/** "20240102T030405Z" */
export function volcengineDate(date: Date): string {
	return date
		.toISOString()
		.replace(/[-:]/g, '')
		.replace(/\.\d{3}/, '');
}

export function signingKey(
	secretAccessKey: string,
	shortDate: string,
	region: string,
	service: string,
): Buffer {
	return hmac(hmac(hmac(hmac(secretAccessKey, shortDate), region), service), 'request');
}

function isSigned(name: string, selection: HeaderSelection): boolean {
	if (selection === 'sdk-node') return !NODE_SDK_UNSIGNABLE.has(name);
	return name === 'content-type' || name === 'host' || name.startsWith('x-');
}

export function signRequest(input: SignInput): SignedRequest {
	const selection = input.headerSelection ?? 'sdk-go-python';
	const xDate = volcengineDate(input.date ?? new Date());
	const shortDate = xDate.slice(0, 8);
	const body = input.body ?? '';
	const bodyHash = sha256Hex(body);

	const headers: Record<string, string> = { ...input.headers, 'X-Date': xDate };
	// The Go and Python SDKs always sign Host; the Node SDK signs only headers it was given.
	if (
		selection === 'sdk-go-python' &&
		!Object.keys(headers).some((n) => n.toLowerCase() === 'host')
	)
		headers.Host = input.host;
	// The Node SDK hashes an empty body without sending the header; the Go/Python SDKs always send it.
	if (selection === 'sdk-go-python' || body.length > 0) headers['X-Content-Sha256'] = bodyHash;
	if (input.credentials.sessionToken) headers['X-Security-Token'] = input.credentials.sessionToken;

	const signed = Object.entries(headers)
		.map(
			([name, value]) =>
				[name.toLowerCase(), String(value).trim().replace(/\s+/g, ' ')] as [string, string],
		)
		.filter(([name]) => isSigned(name, selection))
		.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
	const signedHeaders = signed.map(([name]) => name).join(';');
	const queryString = canonicalQueryString(input.query);

	const canonicalRequest = [
		input.method.toUpperCase(),
		canonicalPath(input.path ?? '/'),
		queryString,
		signed.map(([name, value]) => `${name}:${value}\n`).join(''),
		signedHeaders,
		bodyHash,
	].join('\n');
	const scope = `${shortDate}/${input.region}/${input.service}/request`;
	const stringToSign = ['HMAC-SHA256', xDate, scope, sha256Hex(canonicalRequest)].join('\n');
	const key = signingKey(input.credentials.secretAccessKey, shortDate, input.region, input.service);
	const signature = createHmac('sha256', key).update(stringToSign, 'utf8').digest('hex');
	const authorization = `HMAC-SHA256 Credential=${input.credentials.accessKeyId}/${scope}, SignedHeaders=${signedHeaders}, Signature=${signature}`;

	return {
		headers: { ...headers, Authorization: authorization },
		queryString,
		canonicalRequest,
		stringToSign,
		signingKey: key,
		authorization,
		xDate,
	};
}
