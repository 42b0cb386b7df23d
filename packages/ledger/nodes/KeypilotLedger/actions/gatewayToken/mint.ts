import { PARENT_TYPE_OPTIONS } from '../../../../core/quota/parse';
import { mintToken, parseTokenRequest, type TokenRequest } from '../../../../core/tokens';
import type { Operation } from '../../../../common/operation';
import { inLedger } from '../../../postgres/pool';

/** Mints a token: stores its hash and redacted form and outputs the token once. */
export const operation: Operation<TokenRequest> = {
	option: {
		name: 'Mint',
		value: 'mint',
		action: 'Mint a token',
		description: 'Create a token for the gateway, key creation or reports; outputs it once',
	},
	description: [
		{
			displayName: 'Name',
			name: 'name',
			type: 'string',
			default: '',
			required: true,
			description: '1 to 100 characters without control characters',
		},
		{
			displayName: 'Scopes',
			name: 'scopes',
			type: 'string',
			default: 'gateway',
			description: 'Comma-separated: gateway, keys:create, reports:read',
		},
		{
			displayName: 'Allowed Routes',
			name: 'routes',
			type: 'string',
			default: '',
			description: 'Comma-separated routes (or an array); empty allows any',
		},
		{
			displayName: 'Allowed Models',
			name: 'models',
			type: 'string',
			default: '',
			description: 'Comma-separated models (or an array); empty allows any',
		},
		{
			displayName: 'Upstream',
			name: 'upstream',
			type: 'string',
			default: 'openai',
			description: "Name of the upstream in llm_upstreams the gateway sends this token's calls to",
		},
		{
			displayName: 'Parent Type',
			name: 'parentType',
			type: 'options',
			options: PARENT_TYPE_OPTIONS,
			default: 'team',
		},
		{
			displayName: 'Parent',
			name: 'parent',
			type: 'string',
			default: '',
			placeholder: 'platform-team',
			description:
				"The layer whose budgets and rate limits the token's requests also spend (Quota Check → Set Parent). Empty: none.",
		},
	],
	check(itemIndex) {
		const value = (name: string, fallback: unknown) =>
			this.getNodeParameter(name, itemIndex, fallback) as unknown;
		return parseTokenRequest({
			name: value('name', ''),
			scopes: value('scopes', 'gateway'),
			routes: value('routes', ''),
			models: value('models', ''),
			upstream: value('upstream', 'openai'),
			parentType: value('parentType', 'team'),
			parent: value('parent', ''),
		});
	},
	write: inLedger(async function (db, inputs) {
		const output = [];
		for (const { item, input } of inputs) {
			output.push({ json: { ...(await mintToken(db, input)) }, pairedItem: { item } });
		}
		return output;
	}),
};
