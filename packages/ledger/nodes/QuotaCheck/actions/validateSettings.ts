import type { IExecuteFunctions } from 'n8n-workflow';

import { readInput, type QuotaOperation } from './common';
import { readSettings } from './set';

type Settings = ReturnType<typeof readSettings>;

/**
 * Checks quota settings without writing anything, so a workflow can refuse a bad request before
 * it creates anything at a provider (then Set Quota writes the same settings). Bad settings fail
 * the item, naming the field.
 */
export const operation: QuotaOperation<Settings> = {
	description: [],

	read(this: IExecuteFunctions, i: number) {
		return readInput(this.getNode(), i, () => readSettings.call(this, i));
	},

	async run(_db, settings) {
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
	},
};
