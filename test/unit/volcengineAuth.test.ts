import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';

import {
	serviceFromHost,
	signOutgoingRequest,
	type OutgoingRequest,
} from '../../packages/provider/core/volcengineAuth';
import { verifyVolcengineSignature } from '../helpers/volcengineVerifier';

const AK = 'AKLTauthTest';
const SK = 'c2VjcmV0LWZvci1hdXRoLXRlc3Rz';
const credential = {
	keyFormat: 'separate',
	accessKeyId: AK,
	secretAccessKey: SK,
	region: 'cn-beijing',
};

/** What Volcengine's gateway would see for the signed request, checked by the test verifier. */
function verify(signed: OutgoingRequest) {
	const url = new URL(String(signed.url ?? signed.uri));
	const headers: Record<string, string> = {};
	for (const [name, value] of Object.entries(signed.headers ?? {}))
		headers[name.toLowerCase()] = String(value);
	expect(headers.host).toBe(url.host);
	return verifyVolcengineSignature(
		{
			method: String(signed.method ?? 'GET'),
			path: url.pathname,
			rawQuery: url.search.slice(1),
			headers,
			body: (signed.body as string | undefined) ?? '',
		},
		(id) => (id === AK ? SK : undefined),
	);
}

describe('Volcengine credential authenticate', () => {
	it('signs an HTTP Request node call (uri, qs, JSON object body) for the service and region in the host', () => {
		const request: OutgoingRequest = {
			uri: 'https://ark.cn-shanghai.volcengineapi.com/api/v3/chat?b=2',
			method: 'POST',
			qs: { a: 'x y', list: ['2', '1'], Name: '火山*~' },
			body: { model: 'doubao', text: '你好' },
			json: true,
			headers: { accept: 'application/json' },
		};
		const signed = signOutgoingRequest(credential, request);
		expect(signed.uri).toBe(
			'https://ark.cn-shanghai.volcengineapi.com/api/v3/chat?Name=%E7%81%AB%E5%B1%B1%2A~&a=x%20y&b=2&list=1&list=2',
		);
		expect(signed.qs).toBeUndefined();
		expect(signed.body).toBe('{"model":"doubao","text":"你好"}');
		expect(signed.headers).toMatchObject({ 'Content-Type': 'application/json' });
		expect(verify(signed)).toMatchObject({ ok: true, service: 'ark', region: 'cn-shanghai' });
		expect(request.qs).toEqual({ a: 'x y', list: ['2', '1'], Name: '火山*~' });
		expect(request.headers).toEqual({ accept: 'application/json' });
	});

	it('signs the credential test (baseURL, url, qs, service header) for iam in cn-north-1 whatever the region', () => {
		const signed = signOutgoingRequest(credential, {
			baseURL: 'https://open.volcengineapi.com',
			url: '/',
			qs: { Action: 'ListAccessKeys', Version: '2018-01-01' },
			headers: { 'X-Volcengine-Service': 'iam' },
		});
		expect(signed.url).toBe(
			'https://open.volcengineapi.com/?Action=ListAccessKeys&Version=2018-01-01',
		);
		expect(signed.baseURL).toBeUndefined();
		expect(Object.keys(signed.headers ?? {})).not.toContain('X-Volcengine-Service');
		expect(verify(signed)).toMatchObject({ ok: true, service: 'iam', region: 'cn-north-1' });
	});

	it('re-signs a request that was signed before (a retry) with a fresh date', () => {
		const first = signOutgoingRequest(
			credential,
			{ url: 'https://iam.volcengineapi.com/?Action=ListUsers&Version=2018-01-01', method: 'GET' },
			{ date: new Date(Date.now() - 60_000) },
		);
		const second = signOutgoingRequest(credential, first);
		expect(second.headers?.['X-Date']).not.toBe(first.headers?.['X-Date']);
		expect(
			Object.keys(second.headers ?? {}).filter((h) => h.toLowerCase() === 'authorization'),
		).toHaveLength(1);
		expect(verify(second).ok).toBe(true);
	});

	it('says which service header to add when the host does not tell the service', () => {
		expect(() =>
			signOutgoingRequest(credential, {
				url: 'https://open.volcengineapi.com/?Action=X&Version=2020-01-01',
			}),
		).toThrow(
			/Cannot tell which Volcengine service to sign for at open\.volcengineapi\.com: add the header X-Volcengine-Service/,
		);
	});

	it('refuses a body it cannot sign', () => {
		expect(() =>
			signOutgoingRequest(credential, {
				url: 'https://tos.volcengineapi.com/',
				method: 'PUT',
				body: Readable.from(['x']),
			}),
		).toThrow(/cannot be signed/);
	});

	it('reads services and regions from Volcengine hosts', () => {
		expect(serviceFromHost('iam.volcengineapi.com')).toEqual({ service: 'iam', region: undefined });
		expect(serviceFromHost('ark.cn-beijing.volcengineapi.com')).toEqual({
			service: 'ark',
			region: 'cn-beijing',
		});
		expect(serviceFromHost('open.volcengineapi.com')).toEqual({});
		expect(serviceFromHost('example.com')).toEqual({});
	});
});

const VECTORS_PATH = join(
	__dirname,
	'..',
	'..',
	'..',
	'shared',
	'data',
	'volcengine-signature-vectors.json',
);

describe('the test verifier itself, against the shared reference vectors', () => {
	if (!existsSync(VECTORS_PATH)) {
		it.skip(`needs ${VECTORS_PATH} (../shared beside the repository)`, () => undefined);
		return;
	}
	const { vectors } = JSON.parse(readFileSync(VECTORS_PATH, 'utf8')) as {
		vectors: Array<{
			name: string;
			inputs: {
				accessKeyId: string;
				secretAccessKey: string;
				date: string;
				method: string;
				host: string;
				path: string;
				query: Record<string, string>;
				headersGivenToSigner: Record<string, string>;
				body: string | null;
			};
			outputs: { authorization: string; xDate: string; xContentSha256?: string | null };
		}>;
	};
	it.each(vectors.map((v) => [v.name, v] as const))(
		'%s: accepted as signed, rejected when altered',
		(_name, { inputs, outputs }) => {
			const headers: Record<string, string> = {
				host: inputs.host,
				'x-date': outputs.xDate,
				authorization: outputs.authorization,
			};
			for (const [name, value] of Object.entries(inputs.headersGivenToSigner))
				headers[name.toLowerCase()] = value;
			if (outputs.xContentSha256) headers['x-content-sha256'] = outputs.xContentSha256;
			const rawQuery = new URLSearchParams(inputs.query).toString();
			const arrived = {
				method: inputs.method,
				path: inputs.path,
				rawQuery,
				headers,
				body: inputs.body ?? '',
			};
			const secretFor = (id: string) =>
				id === inputs.accessKeyId ? inputs.secretAccessKey : undefined;
			const now = new Date(inputs.date);
			expect(verifyVolcengineSignature(arrived, secretFor, now)).toMatchObject({ ok: true });
			expect(
				verifyVolcengineSignature({ ...arrived, rawQuery: `${rawQuery}&x=1` }, secretFor, now),
			).toMatchObject({ ok: false, code: 'SignatureDoesNotMatch' });
		},
	);
});
