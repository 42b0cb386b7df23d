import { NodeOperationError } from 'n8n-workflow';

import { LedgerInputError } from '../../../../core/fields';
import { liftSuspension } from '../../../../core/tokens';
import type { Operation } from '../../../../common/operation';
import { inLedger } from '../../../postgres/pool';

const TOKEN_HASH = /^[0-9a-f]{64}$/;

/**
 * Lets a suspended token through the gateway again. A token is suspended when its provider
 * reported more than a request could use (llm_bound_violations has each case); lifting it marks
 * those violations lifted.
 */
export const operation: Operation<{ tokenHash: string }> = {
	option: {
		name: 'Lift Suspension',
		value: 'liftSuspension',
		action: 'Lift a token suspension',
		description:
			'Admit requests from a token the gateway suspended after a provider reported more than a request could use',
	},
	description: [
		{
			displayName: 'Token Hash',
			name: 'hash',
			type: 'string',
			default: '',
			required: true,
			description:
				"The token's hash (key_hash in llm_usage_logs and llm_bound_violations, token_hash when minted)",
		},
	],
	check(itemIndex) {
		const tokenHash = String(this.getNodeParameter('hash', itemIndex, '')).trim();
		if (!TOKEN_HASH.test(tokenHash)) {
			throw new LedgerInputError('Token Hash', '64 hexadecimal characters', tokenHash);
		}
		return { tokenHash };
	},
	write: inLedger(async function (db, inputs) {
		const output = [];
		for (const { item, input } of inputs) {
			const lifted = await liftSuspension(db, input.tokenHash);
			if (!lifted) {
				throw new NodeOperationError(
					this.getNode(),
					`No suspended token has the hash ${input.tokenHash}`,
					{ itemIndex: item },
				);
			}
			output.push({ json: { ...lifted }, pairedItem: { item } });
		}
		return output;
	}),
};
