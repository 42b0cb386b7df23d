import { confirmDelivery } from '../../../../core/rotation/record';
import { inTransaction } from '../../../../core/db';
import { show } from '../../../../common/fields';
import type { Operation } from '../../../../common/operation';
import { inLedger } from '../../../postgres/pool';
import { readRotationId, rotationIdField } from './fields';

const here = show('keyRotation', 'confirmDelivery');

/**
 * After the new key's secret reached its holder (a secret store, the caller): only then may the
 * old key be revoked. A delivery never confirmed gets the new key revoked and made again.
 */
export const operation: Operation<{ rotationId: string }> = {
	option: {
		name: 'Confirm Delivery',
		value: 'confirmDelivery',
		action: 'Confirm a rotation’s new key was delivered',
		description:
			'Record that the new key’s secret was delivered, so the old key may be revoked after its grace',
	},
	description: [rotationIdField(here)],
	check(itemIndex) {
		return { rotationId: readRotationId.call(this, itemIndex) };
	},
	write: inLedger(async function (db, inputs) {
		const output = [];
		for (const { item, input } of inputs) {
			const confirmed = await inTransaction(
				db,
				async () => await confirmDelivery(db, input.rotationId),
			);
			output.push({ json: { ...confirmed }, pairedItem: { item } });
		}
		return output;
	}),
};
