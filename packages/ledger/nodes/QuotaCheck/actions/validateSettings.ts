import type { Operation } from '../../../common/operation';
import type { IExecuteFunctions } from 'n8n-workflow';

import { readInput } from './common';
import { readSettings } from './set';
import { perQuotaItem } from './write';

type Settings = ReturnType<typeof readSettings>;

/**
 * Checks quota settings without writing anything, so a workflow can refuse a bad request before
 * it creates anything at a provider (then Set Quota writes the same settings). Bad settings fail
 * the item, naming the field.
 */
export const operation: Operation<Settings> = {
	option: {
		name: 'Check Quota Settings',
		value: 'validateSettings',
		action: 'Check quota settings without writing them',
		description:
			'Validate a quota type, limit, period and warning threshold before anything is created; writes nothing',
	},
	description: [],

	check(this: IExecuteFunctions, i: number) {
		return readInput(this.getNode(), i, () => readSettings.call(this, i));
	},

	write: perQuotaItem(async (_db, settings) => {
		return {
			output: 0,
			quota: {
				valid: true,
				quota_type: settings.type,
				limit: settings.limit,
				period: settings.period,
				warning_percent: settings.warningPercent,
			},
		};
	}),
};
