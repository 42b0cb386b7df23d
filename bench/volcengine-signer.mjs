// Signatures per second: this package's Volcengine signer against the official Node SDK's
// signer (@volcengine/openapi), on the same requests, in the same process, interleaved rounds.
// Run with `npm run bench:signer` (builds first). Prints both rates and their ratio.
import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';

const require = createRequire(import.meta.url);
const { signRequest } = require('../packages/provider/dist/core/volcengineSigner.js');
const { Signer } = require('@volcengine/openapi');

const credentials = {
	accessKeyId: 'AKLTbenchAccessKey',
	secretAccessKey: 'YmVuY2gtc2VjcmV0LWtleQ==',
};
const date = new Date('2026-11-25T03:04:05Z');
const cases = [
	{
		name: 'GET iam ListAccessKeys',
		service: 'iam',
		method: 'GET',
		query: { Action: 'ListAccessKeys', Version: '2018-01-01', UserName: 'ops bot*~' },
		body: '',
	},
	{
		name: 'POST billing ListBillDetail (JSON body)',
		service: 'billing',
		method: 'POST',
		query: { Action: 'ListBillDetail', Version: '2022-01-01' },
		body: JSON.stringify({
			BillPeriod: '2026-11',
			Limit: 100,
			Offset: 200,
			Product: ['ark', 'ecs'],
		}),
	},
];

function ours(c) {
	return signRequest({
		credentials,
		region: 'cn-north-1',
		service: c.service,
		method: c.method,
		host: 'open.volcengineapi.com',
		query: c.query,
		headers: c.body ? { 'content-type': 'application/json' } : {},
		body: c.body || null,
		date,
		headerSelection: 'sdk-node',
	}).authorization;
}

function sdk(c) {
	const request = {
		method: c.method,
		region: 'cn-north-1',
		params: { ...c.query },
		headers: c.body ? { 'content-type': 'application/json' } : {},
		body: c.body || undefined,
		pathname: '/',
	};
	const signer = new Signer(request, c.service);
	signer.addAuthorization(
		{ accessKeyId: credentials.accessKeyId, secretKey: credentials.secretAccessKey },
		date,
	);
	return request.headers.Authorization;
}

for (const c of cases) {
	const a = ours(c);
	const b = sdk(c);
	if (a !== b) throw new Error(`${c.name}: signatures differ\n ours: ${a}\n sdk:  ${b}`);
}

function rate(sign, c, iterations) {
	const start = performance.now();
	for (let i = 0; i < iterations; i++) sign(c);
	return iterations / ((performance.now() - start) / 1000);
}

const ITERATIONS = Number(process.env.BENCH_ITERATIONS ?? 20_000);
const ROUNDS = 5;
console.log(
	`Volcengine signing, ${ITERATIONS} signatures x ${ROUNDS} rounds per case (median round)`,
);
let worst = Infinity;
for (const c of cases) {
	rate(ours, c, 2000);
	rate(sdk, c, 2000);
	const oursRates = [];
	const sdkRates = [];
	for (let round = 0; round < ROUNDS; round++) {
		oursRates.push(rate(ours, c, ITERATIONS));
		sdkRates.push(rate(sdk, c, ITERATIONS));
	}
	const median = (values) => values.sort((x, y) => x - y)[Math.floor(values.length / 2)];
	const o = median(oursRates);
	const s = median(sdkRates);
	worst = Math.min(worst, o / s);
	console.log(
		`${c.name.padEnd(42)} keypilot ${Math.round(o).toLocaleString('en').padStart(9)}/s   @volcengine/openapi ${Math.round(s).toLocaleString('en').padStart(9)}/s   ratio ${(o / s).toFixed(2)}x`,
	);
}
console.log(`lowest ratio ${worst.toFixed(2)}x (target: at least 1.00x)`);
process.exitCode = worst >= 1 ? 0 : 1;
