import type { IDataObject } from 'n8n-workflow';

import { type Item, sourceResult, withoutSource } from '../../../../core/fields';
import { recordRotatedKey } from '../../../../core/rotation/record';
import { inTransaction } from '../../../../core/db';
import { show } from '../../../../common/fields';
import type { Operation } from '../../../../common/operation';
import { inLedger } from '../../../postgres/pool';
import { rotationIdField, readRotationId } from './fields';

const here = show('keyRotation', 'recordNewKey');

/** The create operations' resources, where each provider node puts the key it created. */
export const CREATED_FROM = ['serviceAccount', 'key', 'accessKey'];

/** Where each provider's create answer carries the new secret. */
const SECRET_FIELDS = ['api_key', 'key', 'SecretAccessKey'];

/**
 * Records the key a provider node just created for a rotation (for a gateway token, mints it
 * here), carries the old key's quota over and starts the grace period; outputs the secret once.
 */
export const operation: Operation<{ rotationId: string; created: Item }> = {
	option: {
		name: 'Record New Key',
		value: 'recordNewKey',
		action: 'Record a rotation’s new key',
		description:
			'Store the new key by hash, carry over the old key’s quota, start the grace period; outputs its secret once',
	},
	description: [
		rotationIdField(here),
		{
			displayName:
				'Input: the output of the provider node’s create operation (OpenAI Admin: Service Account → Create, OpenRouter: Key → Create, Volcengine: Access Key → Create). A gateway token is minted here.',
			name: 'recordNewKeyNotice',
			type: 'notice',
			default: '',
		},
	],
	check(itemIndex) {
		return {
			rotationId: readRotationId.call(this, itemIndex),
			created: sourceResult(this.getInputData()[itemIndex].json as Item, CREATED_FROM),
		};
	},
	// The provider's answer holds the secret; once recorded it leaves only in this node's result.
	// A gateway token is minted here: its item is the rotation step, kept whole; an item that is a
	// provider's answer itself (it carries a secret at the top) is consumed whole.
	kept: (json) =>
		withoutSource(
			json,
			CREATED_FROM,
			SECRET_FIELDS.some((field) => field in json) ? 'all' : 'nothing',
		) as IDataObject,
	write: inLedger(async function (db, inputs) {
		const output = [];
		for (const { item, input } of inputs) {
			const recorded = await inTransaction(
				db,
				async () => await recordRotatedKey(db, input.rotationId, input.created),
			);
			output.push({ json: { ...recorded }, pairedItem: { item } });
		}
		return output;
	}),
};
