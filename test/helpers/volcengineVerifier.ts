/**
 * Server-side check of a Volcengine OpenAPI signature, written apart from the package's signer
 * so that tests compare two implementations: the stand-ins use it the way Volcengine's gateway
 * does, rebuilding the canonical request from what arrived on the wire.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

export interface ArrivedRequest {
	method: string;
	/** Path as received, still percent-encoded. */
	path: string;
	/** Raw query string, without "?". */
	rawQuery: string;
	headers: Record<string, string | string[] | undefined>;
	body: string | Buffer;
}

export type Verdict =
	| { ok: true; accessKeyId: string; service: string; region: string; signedHeaders: string[] }
	| { ok: false; code: string; message: string };

const AUTHORIZATION =
	/^HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/request, SignedHeaders=([a-z0-9;-]+), Signature=([0-9a-f]{64})$/;

function encode(value: string): string {
	return encodeURIComponent(value).replace(
		/[!'()*]/g,
		(c) => '%' + c.charCodeAt(0).toString(16).toUpperCase(),
	);
}

function header(request: ArrivedRequest, name: string): string | undefined {
	const value = request.headers[name];
	return Array.isArray(value) ? value.join(',') : value;
}

function hmac(key: string | Buffer, text: string): Buffer {
	return createHmac('sha256', key).update(text).digest();
}

export function verifyVolcengineSignature(
	request: ArrivedRequest,
	secretFor: (accessKeyId: string) => string | undefined,
	now: Date = new Date(),
): Verdict {
	const authorization = header(request, 'authorization') ?? '';
	const match = AUTHORIZATION.exec(authorization);
	if (!match)
		return { ok: false, code: 'InvalidAuthorization', message: 'Malformed Authorization header' };
	const [, accessKeyId, shortDate, region, service, signedHeaderList, signature] = match;
	const secret = secretFor(accessKeyId);
	if (!secret)
		return { ok: false, code: 'InvalidAccessKey', message: `Unknown access key ${accessKeyId}` };

	const xDate = header(request, 'x-date') ?? '';
	if (!/^\d{8}T\d{6}Z$/.test(xDate) || xDate.slice(0, 8) !== shortDate)
		return {
			ok: false,
			code: 'InvalidTimestamp',
			message: 'X-Date is missing or disagrees with the scope',
		};
	const sent = Date.parse(
		`${xDate.slice(0, 4)}-${xDate.slice(4, 6)}-${xDate.slice(6, 8)}T${xDate.slice(9, 11)}:${xDate.slice(11, 13)}:${xDate.slice(13, 15)}Z`,
	);
	if (Math.abs(now.getTime() - sent) > 15 * 60_000)
		return { ok: false, code: 'RequestExpired', message: 'X-Date is more than 15 minutes away' };

	const bodyHash = createHash('sha256').update(request.body).digest('hex');
	const claimedHash = header(request, 'x-content-sha256');
	if (claimedHash !== undefined && claimedHash !== bodyHash)
		return {
			ok: false,
			code: 'ContentSha256Mismatch',
			message: 'X-Content-Sha256 does not match the body',
		};

	const pairs = request.rawQuery
		.split('&')
		.filter(Boolean)
		.map((part) => {
			const eq = part.indexOf('=');
			const key = decodeURIComponent(eq < 0 ? part : part.slice(0, eq));
			const value = eq < 0 ? '' : decodeURIComponent(part.slice(eq + 1));
			return [encode(key), encode(value)];
		})
		.sort((a, b) => (a[0] === b[0] ? (a[1] < b[1] ? -1 : 1) : a[0] < b[0] ? -1 : 1));
	const signedHeaders = signedHeaderList.split(';');
	const canonicalHeaders = signedHeaders
		.map((name) => `${name}:${(header(request, name) ?? '').trim().replace(/\s+/g, ' ')}\n`)
		.join('');
	const canonicalPath = request.path
		.split('/')
		.map((segment) => encode(decodeURIComponent(segment)))
		.join('/');
	const canonicalRequest = [
		request.method.toUpperCase(),
		canonicalPath || '/',
		pairs.map(([k, v]) => `${k}=${v}`).join('&'),
		canonicalHeaders,
		signedHeaderList,
		bodyHash,
	].join('\n');
	const stringToSign = [
		'HMAC-SHA256',
		xDate,
		`${shortDate}/${region}/${service}/request`,
		createHash('sha256').update(canonicalRequest).digest('hex'),
	].join('\n');
	const key = hmac(hmac(hmac(hmac(secret, shortDate), region), service), 'request');
	const expected = createHmac('sha256', key).update(stringToSign).digest();
	if (!timingSafeEqual(expected, Buffer.from(signature, 'hex'))) {
		return {
			ok: false,
			code: 'SignatureDoesNotMatch',
			message:
				'The request signature we calculated does not match the signature you provided. Check your Secret Access Key and signing method.',
		};
	}
	return { ok: true, accessKeyId, service, region, signedHeaders };
}

/** Volcengine's error body: `ResponseMetadata.Error` with Code and Message. */
export function volcengineErrorBody(
	code: string,
	message: string,
	meta: { action?: string; version?: string; service?: string; region?: string } = {},
	requestId = '20261125120000ABCDEF0123456789AB',
) {
	return {
		ResponseMetadata: {
			RequestId: requestId,
			Action: meta.action ?? '',
			Version: meta.version ?? '',
			Service: meta.service ?? '',
			Region: meta.region ?? '',
			Error: {
				CodeN: code === 'SignatureDoesNotMatch' ? 100010 : 100000,
				Code: code,
				Message: message,
			},
		},
	};
}
