/**
 * Every refusal the gateway writes in OpenAI's shape is an `ErrorResponse` as OpenAI's official
 * definition describes it (what the official SDKs parse), rate limits included; in Anthropic's
 * shape, its type is one Anthropic documents.
 */
import { readFileSync } from 'node:fs';

import YAML from 'yaml';

import { errorBody, REFUSALS } from '../../packages/ledger/core/gateway/wire';
import { OpenApiContract, specPath } from './harness/openapi';

/** Anthropic's error types (../shared/specs/notes/anthropic-2026-12.md, "Errors"). */
const ANTHROPIC_ERROR_TYPES = [
	'invalid_request_error',
	'authentication_error',
	'billing_error',
	'permission_error',
	'not_found_error',
	'conflict_error',
	'request_too_large',
	'rate_limit_error',
	'api_error',
	'timeout_error',
	'overloaded_error',
];

let contract: OpenApiContract;

beforeAll(async () => {
	// OpenAI's components, with one operation that answers its ErrorResponse.
	const doc = YAML.parse(readFileSync(specPath('openai-openapi.yaml'), 'utf8')) as Record<
		string,
		unknown
	>;
	doc.paths = {
		'/gateway-refusal': {
			post: {
				operationId: 'gatewayRefusal',
				responses: {
					'429': {
						description: 'refused',
						content: {
							'application/json': { schema: { $ref: '#/components/schemas/ErrorResponse' } },
						},
					},
				},
			},
		},
	};
	contract = await OpenApiContract.fromDocument(doc, ['/gateway-refusal']);
});

it.each(REFUSALS)("%s in OpenAI's shape is the definition's ErrorResponse", (refusal) => {
	const body = errorBody(
		'openai',
		refusal,
		'refused',
		refusal === 'invalid_request' ? 'model' : null,
	);
	expect(contract.responseErrors('gatewayRefusal', body, 429)).toEqual([]);
});

it('would catch a body the definition refuses', () => {
	expect(
		contract.responseErrors('gatewayRefusal', { error: { message: 'no type' } }, 429),
	).not.toEqual([]);
});

it.each(REFUSALS)("%s in Anthropic's shape has a type Anthropic documents", (refusal) => {
	const body = errorBody('anthropic', refusal, 'refused') as {
		type: string;
		error: { type: string };
	};
	expect(body.type).toBe('error');
	expect(ANTHROPIC_ERROR_TYPES).toContain(body.error.type);
});
