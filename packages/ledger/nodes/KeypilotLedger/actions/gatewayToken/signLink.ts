import { LINK_SCOPE, signLink } from '../../../../core/links';
import { LedgerInputError } from '../../../../core/fields';
import type { Operation } from '../../../../common/operation';
import { inLedger } from '../../../postgres/pool';

interface Input {
	tokenHash: string;
	scope: typeof LINK_SCOPE;
	seconds: number;
}

/**
 * A short-lived link for a browser to read reports, signed for one token (by its hash), so that
 * the token itself never goes into a URL. Run it after Authenticate: it signs the hash it is given.
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
		const minutes = Number(this.getNodeParameter('minutes', itemIndex, 15));
		if (!Number.isInteger(minutes) || minutes < 1 || minutes > 1440)
			throw new LedgerInputError('Valid For (Minutes)', 'a whole number from 1 to 1440', minutes);
		return { tokenHash, scope: LINK_SCOPE, seconds: minutes * 60 };
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
