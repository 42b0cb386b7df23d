import type { IDataObject } from 'n8n-workflow';

import { tokenFrom } from '../../../../core/gateway/wire';
import { readLink } from '../../../../core/links';
import {
	authenticate,
	authenticateHash,
	TOKEN_SCOPES,
	type TokenScope,
} from '../../../../core/tokens';
import { show } from '../../../../common/fields';
import type { Operation } from '../../../../common/operation';
import { inLedger } from '../../../postgres/pool';

interface Input {
	authorization: string;
	/** A signed link, read when the request carries no token in its headers. */
	link: string;
	scope: TokenScope;
	route?: string;
	model?: string;
}

/** The token in request headers by the gateway's one rule, as a Bearer value; '' for none. */
function bearer(headers: unknown): string {
	const object =
		typeof headers === 'string' ? (JSON.parse(headers || '{}') as unknown) : (headers ?? {});
	const token = tokenFrom(object as IDataObject as Record<string, string | undefined>);
	return token ? `Bearer ${token}` : '';
}

/** Checks a caller's token by its hash; the token itself is neither stored nor output. */
export const operation: Operation<Input> = {
	option: {
		name: 'Authenticate',
		value: 'authenticate',
		action: 'Authenticate a token',
		description: 'Whether a token is active, holds a scope and may use a route and model',
	},
	description: [
		{
			displayName: 'Read Token From',
			name: 'tokenFrom',
			type: 'options',
			options: [
				{
					name: 'Request Headers',
					value: 'headers',
					description:
						'Exactly "Authorization: Bearer" and the token, or "x-api-key" and the token, as OpenAI and Anthropic clients send it; anything else is no token',
				},
				{
					name: 'Request Headers, or a Signed Link',
					value: 'headersOrLink',
					description:
						'The headers as above; without a token there, a link made by Sign Link (for a browser, so no token goes into a URL)',
				},
				{ name: 'A Value', value: 'value', description: 'The token, or a "Bearer …" value' },
			],
			default: 'value',
		},
		{
			displayName: 'Headers',
			name: 'headers',
			type: 'json',
			default: '={{ $json.headers }}',
			description: 'The request headers, as a Webhook node outputs them',
			displayOptions: {
				show: {
					...show('gatewayToken', 'authenticate').show,
					tokenFrom: ['headers', 'headersOrLink'],
				},
			},
		},
		{
			displayName: 'Signed Link',
			name: 'link',
			type: 'string',
			default: '={{ $json.query.link }}',
			description: 'The value Sign Link made (kpl_…), e.g. from the query string',
			displayOptions: {
				show: { ...show('gatewayToken', 'authenticate').show, tokenFrom: ['headersOrLink'] },
			},
		},
		{
			displayName: 'Token',
			name: 'authorization',
			type: 'string',
			typeOptions: { password: true },
			default: '={{ $json.headers.authorization }}',
			required: true,
			description: 'The token, or an "Authorization: Bearer …" value',
			displayOptions: {
				show: { ...show('gatewayToken', 'authenticate').show, tokenFrom: ['value'] },
			},
		},
		{
			displayName: 'Scope',
			name: 'scope',
			type: 'options',
			options: [
				{ name: 'Gateway', value: 'gateway' },
				{ name: 'Create Keys', value: 'keys:create' },
				{ name: 'Read Reports', value: 'reports:read' },
			],
			default: 'gateway',
		},
		{
			displayName: 'Route',
			name: 'route',
			type: 'string',
			default: '',
			description:
				"The route asked for, checked against the token's allowed routes. Empty: a token limited to some routes is not permitted.",
		},
		{
			displayName: 'Model',
			name: 'model',
			type: 'string',
			default: '',
			description: "The model asked for, checked against the token's allowed models",
		},
	],
	check(itemIndex) {
		const from = this.getNodeParameter('tokenFrom', itemIndex, 'value');
		const authorization =
			from === 'value'
				? this.getNodeParameter('authorization', itemIndex, '')
				: bearer(this.getNodeParameter('headers', itemIndex, {}));
		const link =
			from === 'headersOrLink' && !authorization
				? String(this.getNodeParameter('link', itemIndex, '') ?? '')
				: '';
		const scope = this.getNodeParameter('scope', itemIndex) as TokenScope;
		const route = this.getNodeParameter('route', itemIndex, '') as string;
		const model = this.getNodeParameter('model', itemIndex, '');
		if (!TOKEN_SCOPES.includes(scope))
			throw new Error(`"Scope" must be one of ${TOKEN_SCOPES.join(', ')}`);
		return {
			authorization: typeof authorization === 'string' ? authorization : '',
			link,
			scope,
			route: route || undefined,
			model: typeof model === 'string' ? model : '',
		};
	},
	write: inLedger(async function (db, inputs) {
		const output = [];
		for (const { item, input } of inputs) {
			let result;
			if (input.link) {
				// A link opens only what it was signed for, and only while its token is active.
				const signed = await readLink(db, input.link);
				result =
					'problem' in signed || signed.scope !== input.scope
						? await authenticateHash(db, '', input)
						: await authenticateHash(db, signed.tokenHash, input);
			} else {
				result = await authenticate(db, input.authorization, input);
			}
			output.push({ json: { ...result }, pairedItem: { item } });
		}
		return output;
	}),
};
