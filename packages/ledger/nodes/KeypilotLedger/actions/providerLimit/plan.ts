import { LedgerInputError } from '../../../../core/fields';
import { planMirrors } from '../../../../core/limits/mirror';
import { LIMIT_TARGETS, type LimitTarget } from '../../../../core/limits/targets';
import type { Operation } from '../../../../common/operation';
import { inLedger } from '../../../postgres/pool';
import { TARGET_OPTIONS } from './fields';

/**
 * Every mirrored quota with the limit its provider should hold: read each at the provider, then
 * Compare. A quota that no longer fits its provider (a token quota, say) comes with `problem`.
 */
export const operation: Operation<LimitTarget[]> = {
	option: {
		name: 'Get Mirrors',
		value: 'plan',
		action: 'Get mirrored quotas',
		description: 'Output every mirrored quota with the limit its provider should hold',
	},
	description: [
		{
			displayName: 'Targets',
			name: 'targets',
			type: 'multiOptions',
			options: TARGET_OPTIONS,
			default: ['anthropic_workspace', 'openai_project', 'openrouter_key'],
		},
	],
	check(itemIndex) {
		const targets = this.getNodeParameter('targets', itemIndex, []) as LimitTarget[];
		if (!targets.length || targets.some((target) => !LIMIT_TARGETS.includes(target))) {
			throw new LedgerInputError('Targets', `one or more of ${LIMIT_TARGETS.join(', ')}`, targets);
		}
		return targets;
	},
	write: inLedger(async function (db, inputs) {
		const output = [];
		for (const { item, input } of inputs) {
			for (const mirror of await planMirrors(db, input)) {
				output.push({ json: { ...mirror }, pairedItem: { item } });
			}
		}
		return output;
	}),
};
