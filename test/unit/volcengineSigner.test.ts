import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import {
	canonicalQueryString,
	rfc3986,
	signRequest,
	type HeaderSelection,
} from '../../packages/provider/core/volcengineSigner';

const VECTORS_PATH = join(
	__dirname,
	'..',
	'..',
	'..',
	'shared',
	'data',
	'volcengine-signature-vectors.json',
);

interface Vector {
	name: string;
	source?: string;
	inputs: {
		accessKeyId: string;
		secretAccessKey: string;
		date: string;
		method: string;
		host: string;
		path: string;
		region: string;
		service: string;
		query: Record<string, string>;
		headersGivenToSigner: Record<string, string>;
		body: string | null;
	};
	outputs: Record<string, unknown> & {
		canonicalQueryString: string;
		canonicalRequest: string;
		stringToSign: string;
		signingKeyHex: string;
		authorization: string;
		xDate: string;
		allHeadersAfterSigning: Record<string, string>;
	};
}

const vectors: Vector[] = existsSync(VECTORS_PATH)
	? (JSON.parse(readFileSync(VECTORS_PATH, 'utf8')) as { vectors: Vector[] }).vectors
	: [];

describe('Volcengine signer against the shared reference vectors', () => {
	if (vectors.length === 0) {
		it.skip(`needs ${VECTORS_PATH} (../shared beside the repository)`, () => undefined);
		return;
	}

	it.each(vectors.map((vector) => [vector.name, vector] as const))(
		'%s: every intermediate and the Authorization header',
		(_name, vector) => {
			const { inputs, outputs } = vector;
			const selection: HeaderSelection = vector.name.includes('GoPythonStyle')
				? 'sdk-go-python'
				: 'sdk-node';
			const signed = signRequest({
				credentials: { accessKeyId: inputs.accessKeyId, secretAccessKey: inputs.secretAccessKey },
				region: inputs.region,
				service: inputs.service,
				method: inputs.method,
				host: inputs.host,
				path: inputs.path,
				query: inputs.query,
				headers: inputs.headersGivenToSigner,
				body: inputs.body,
				date: new Date(inputs.date),
				headerSelection: selection,
			});
			expect(signed.xDate).toBe(outputs.xDate);
			expect(signed.queryString).toBe(outputs.canonicalQueryString);
			expect(signed.canonicalRequest).toBe(outputs.canonicalRequest);
			expect(signed.stringToSign).toBe(outputs.stringToSign);
			expect(signed.signingKey.toString('hex')).toBe(outputs.signingKeyHex);
			expect(signed.authorization).toBe(outputs.authorization);
			expect(signed.headers).toEqual(outputs.allHeadersAfterSigning);
		},
	);
});

describe('Volcengine canonical query', () => {
	it('escapes per RFC 3986: space as %20, * as %2A, ~ kept, UTF-8 percent-encoded', () => {
		expect(rfc3986('a b*c~d')).toBe('a%20b%2Ac~d');
		expect(rfc3986("!'()")).toBe('%21%27%28%29');
		expect(rfc3986('火山')).toBe('%E7%81%AB%E5%B1%B1');
		expect(canonicalQueryString({ b: '2', a: 'x y', Action: 'ListUsers', list: ['z', 'y'] })).toBe(
			'Action=ListUsers&a=x%20y&b=2&list=y&list=z',
		);
	});

	it('signs a session token as X-Security-Token and changes the signature with it', () => {
		const base = {
			region: 'cn-north-1',
			service: 'iam',
			method: 'GET',
			host: 'iam.volcengineapi.com',
			query: { Action: 'ListAccessKeys', Version: '2018-01-01' },
			date: new Date('2024-01-02T03:04:05Z'),
		};
		const plain = signRequest({
			...base,
			credentials: { accessKeyId: 'AK', secretAccessKey: 'SK' },
		});
		const sts = signRequest({
			...base,
			credentials: { accessKeyId: 'AK', secretAccessKey: 'SK', sessionToken: 'tok' },
		});
		expect(sts.headers['X-Security-Token']).toBe('tok');
		expect(sts.authorization).toContain('x-security-token');
		expect(sts.authorization).not.toBe(plain.authorization);
	});
});
