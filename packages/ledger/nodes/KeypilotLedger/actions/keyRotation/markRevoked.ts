import { LedgerInputError } from '../../../../core/fields';
import { markRevoked } from '../../../../core/rotation/revoke';
import { inTransaction } from '../../../../core/db';
import { show } from '../../../../common/fields';
import type { Operation } from '../../../../common/operation';
import { inLedger } from '../../../postgres/pool';
import { readRotationId, rotationIdField } from './fields';

const here = show('keyRotation', 'markRevoked');

/**
 * After the provider revoked a key of a rotation: the old key ends the rotation, a lost key is
 * recorded as revoked. A gateway token is revoked here, with no provider call.
 */
export const operation: Operation<{ rotationId: string; keyId: string }> = {
	option: {
		name: 'Mark Revoked',
		value: 'markRevoked',
		action: 'Mark a rotation’s key revoked',
		description: 'Record that the provider revoked the old key (ending the rotation) or a lost key',
	},
	description: [
		rotationIdField(here),
		{
			displayName: 'Key ID',
			name: 'keyId',
			type: 'string',
			default: '',
			required: true,
			description: 'The key_id of the revoke step',
		},
	],
	check(itemIndex) {
		const keyId = String(this.getNodeParameter('keyId', itemIndex, '') ?? '').trim();
		if (!keyId) throw new LedgerInputError('Key ID', 'the key_id of the revoke step', keyId);
		return { rotationId: readRotationId.call(this, itemIndex), keyId };
	},
	write: inLedger(async function (db, inputs) {
		const output = [];
		for (const { item, input } of inputs) {
			const revoked = await inTransaction(
				db,
				async () => await markRevoked(db, input.rotationId, input.keyId),
			);
			output.push({ json: { ...revoked }, pairedItem: { item } });
		}
		return output;
	}),
};
