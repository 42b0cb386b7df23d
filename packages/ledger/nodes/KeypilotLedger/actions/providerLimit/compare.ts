import { type Item, sourceResult } from '../../../../core/fields';
import { compareLimit } from '../../../../core/limits/mirror';
import type { LimitTarget } from '../../../../core/limits/targets';
import { inTransaction } from '../../../../core/db';
import { show } from '../../../../common/fields';
import type { Operation } from '../../../../common/operation';
import { inLedger } from '../../../postgres/pool';
import { readTarget, readTargetId, targetField, targetIdField } from './fields';

const here = show('providerLimit', 'compare');

interface Input {
	target: LimitTarget;
	targetId: string;
	item: Item;
	stage: 'read' | 'pushed';
}

/**
 * Takes what the provider holds (OpenRouter: Key → Get or Update; OpenAI Admin: Spend Limit → Get
 * or Set) and says whether it is in sync, to be pushed, or was changed by hand; after a push, it
 * records the limit read back.
 */
export const operation: Operation<Input> = {
	option: {
		name: 'Compare',
		value: 'compare',
		action: 'Compare a provider limit with its quota',
		description:
			'Record the provider’s limit; output whether to push it and any change made by hand',
	},
	description: [
		targetField(here, 'Which provider read is the input'),
		targetIdField(here),
		{
			displayName: 'Input Is',
			name: 'stage',
			type: 'options',
			options: [
				{
					name: 'A Read of the Provider',
					value: 'read',
					description: 'Before pushing: finds changes made by hand',
				},
				{
					name: 'The Answer to Our Push',
					value: 'pushed',
					description: 'After pushing: the limit read back is recorded as ours',
				},
			],
			default: 'read',
		},
	],
	check(itemIndex) {
		const stage = this.getNodeParameter('stage', itemIndex, 'read') as Input['stage'];
		return {
			target: readTarget(this.getNodeParameter('target', itemIndex)),
			targetId: readTargetId(this.getNodeParameter('targetId', itemIndex, '')),
			// OpenRouter: Key → Get/Update; OpenAI Admin and Claude Admin: Spend Limit → Get/Set.
			item: sourceResult(this.getInputData()[itemIndex].json as Item, ['key', 'spendLimit']),
			stage: stage === 'pushed' ? 'pushed' : 'read',
		};
	},
	write: inLedger(async function (db, inputs) {
		const output = [];
		for (const { item, input } of inputs) {
			const result = await inTransaction(db, async () => await compareLimit(db, input));
			output.push({ json: { ...result }, pairedItem: { item } });
		}
		return output;
	}),
};
