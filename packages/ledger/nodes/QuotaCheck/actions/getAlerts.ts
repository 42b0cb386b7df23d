import { recordAlerts } from '../../../core/quota';
import type { QuotaOperation } from './common';

/**
 * Quotas that crossed their warning threshold or their limit in the current period, each told
 * once per period: one output item per new crossing, none when there is nothing new.
 */
export const operation: QuotaOperation<null> = {
	description: [],
	once: true,
	read: () => null,
	async run(db) {
		const alerts = await recordAlerts(db);
		return {
			output: 0,
			quota: {},
			items: alerts.map((alert) => ({
				...alert,
				period_start: alert.period_start.toISOString(),
			})),
		};
	},
};
