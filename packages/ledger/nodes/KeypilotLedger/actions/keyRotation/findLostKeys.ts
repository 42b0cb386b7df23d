import { type Item, sourceResult } from '../../../../core/fields';
import { findOrphans } from '../../../../core/rotation/orphans';
import { inTransaction } from '../../../../core/db';
import { show } from '../../../../common/fields';
import type { Operation } from '../../../../common/operation';
import { inLedger } from '../../../postgres/pool';
import { readRotationId, rotationIdField } from './fields';
import { CREATED_FROM } from './recordNewKey';

const here = show('keyRotation', 'findLostKeys');

interface Input {
	rotationId: string;
	listed: Item;
	projectId: string;
	userName: string;
}

/**
 * A sweep step: reads the provider's key list (one listed key per input item) and outputs the keys
 * a lost create left behind, as revoke steps. Items are grouped by their Rotation ID.
 */
export const operation: Operation<Input> = {
	option: {
		name: 'Find Lost Keys',
		value: 'findLostKeys',
		action: 'Find keys a lost create left',
		description:
			'From the provider’s key list, output the keys a rotation created but never recorded, to revoke',
	},
	description: [
		rotationIdField(here),
		{
			displayName: 'Project ID',
			name: 'projectId',
			type: 'string',
			default: '',
			description: 'OpenAI: the project the listed service accounts belong to',
		},
		{
			displayName: 'User Name',
			name: 'userName',
			type: 'string',
			default: '',
			description:
				'Volcengine: the IAM user whose access keys were listed (empty: the account’s own)',
		},
	],
	check(itemIndex) {
		return {
			rotationId: readRotationId.call(this, itemIndex),
			listed: sourceResult(this.getInputData()[itemIndex].json as Item, CREATED_FROM),
			projectId: String(this.getNodeParameter('projectId', itemIndex, '') ?? ''),
			userName: String(this.getNodeParameter('userName', itemIndex, '') ?? ''),
		};
	},
	write: inLedger(async function (db, inputs) {
		const byRotation = new Map<string, Array<{ item: number; input: Input }>>();
		for (const entry of inputs) {
			const group = byRotation.get(entry.input.rotationId) ?? [];
			group.push(entry);
			byRotation.set(entry.input.rotationId, group);
		}
		const output = [];
		for (const [rotationId, group] of byRotation) {
			const { projectId, userName } = group[0].input;
			const lost = await inTransaction(
				db,
				async () =>
					await findOrphans(
						db,
						rotationId,
						group.map(({ input }) => input.listed),
						{ projectId, userName },
					),
			);
			for (const orphan of lost)
				output.push({ json: { ...orphan }, pairedItem: { item: group[0].item } });
		}
		return output;
	}),
};
