import { signLink } from '../../../../core/links';
import { LedgerInputError } from '../../../../core/fields';
import { TOKEN_SCOPES, type TokenScope } from '../../../../core/tokens';
import type { Operation } from '../../../../common/operation';
import { inLedger } from '../../../postgres/pool';

interface Input {
	tokenHash: string;
	scope: TokenScope;
	seconds: number;
}

/**
 * A short-lived link for a browser, signed for one token (by its hash) and one scope, so that the
 * token itself never goes into a URL. Run it after Authenticate: it signs the hash it is given.
 */
export const operation: Operation<Input> = {
	option: {
		name: 'Sign Link',
		value: 'signLink',
		action: 'Sign a short lived link',
		description:
			'A link value (kpl_…) that opens what the scope allows for some minutes, instead of a token in a URL',
	},
	description: [
		{
			displayName: 'Token Hash',
			name: 'tokenHash',
			type: 'string',
			typeOptions: { password: true },
			default: '={{ $json.gatewayToken.token_hash }}',
			required: true,
			description: 'The authenticated token the link stands for',
		},
		{
			displayName: 'Scope',
			name: 'linkScope',
			type: 'options',
			options: [
				{ name: 'Read Reports', value: 'reports:read' },
				{ name: 'Create Keys', value: 'keys:create' },
				{ name: 'Gateway', value: 'gateway' },
			],
			default: 'reports:read',
		},
		{
			displayName: 'Valid For (Minutes)',
			name: 'minutes',
			type: 'number',
			typeOptions: { minValue: 1, maxValue: 1440 },
			default: 15,
		},
	],
	check(itemIndex) {
		const tokenHash = String(this.getNodeParameter('tokenHash', itemIndex, '') ?? '').trim();
		if (!/^[0-9a-f]{64}$/.test(tokenHash))
			throw new LedgerInputError('Token Hash', "a token's SHA-256 in hex", tokenHash);
		const scope = this.getNodeParameter('linkScope', itemIndex) as TokenScope;
		if (!TOKEN_SCOPES.includes(scope))
			throw new LedgerInputError('Scope', `one of ${TOKEN_SCOPES.join(', ')}`, scope);
		const minutes = Number(this.getNodeParameter('minutes', itemIndex, 15));
		if (!Number.isInteger(minutes) || minutes < 1 || minutes > 1440)
			throw new LedgerInputError('Valid For (Minutes)', 'a whole number from 1 to 1440', minutes);
		return { tokenHash, scope, seconds: minutes * 60 };
	},
	write: inLedger(async function (db, inputs) {
		const output = [];
		for (const { item, input } of inputs) {
			const signed = await signLink(db, input);
			output.push({ json: { ...signed, scope: input.scope }, pairedItem: { item } });
		}
		return output;
	}),
};
