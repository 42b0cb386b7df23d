import { confirmDelivery } from '../../../../core/rotation/record';
import { inTransaction } from '../../../../core/db';
import { type LedgerOperation, show } from '../operation';
import { readRotationId, rotationIdField } from './fields';

const here = show('keyRotation', 'confirmDelivery');

/**
 * After the new key's secret reached its holder (a secret store, the caller): only then may the
 * old key be revoked. A delivery never confirmed gets the new key revoked and made again.
 */
export const operation: LedgerOperation<{ rotationId: string }> = {
	option: {
		name: 'Confirm Delivery',
		value: 'confirmDelivery',
		action: 'Confirm a rotation’s new key was delivered',
		description:
			'Record that the new key’s secret was delivered, so the old key may be revoked after its grace',
	},
	description: [rotationIdField(here)],
	read(itemIndex) {
		return { rotationId: readRotationId.call(this, itemIndex) };
	},
	async write(db, inputs) {
		const output = [];
		for (const { item, input } of inputs) {
			const confirmed = await inTransaction(
				db,
				async () => await confirmDelivery(db, input.rotationId),
			);
			output.push({ json: { ...confirmed }, pairedItem: { item } });
		}
		return output;
	},
};
