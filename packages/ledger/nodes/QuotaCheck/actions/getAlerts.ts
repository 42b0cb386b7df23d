import type { Operation } from '../../../common/operation';
import { recordAlerts } from '../../../core/quota';
import { perQuotaItem } from './write';

/**
 * Quotas that crossed their warning threshold or their limit in the current period, each told
 * once per period: one output item per new crossing, none when there is nothing new.
 */
export const operation: Operation<null> = {
	option: {
		name: 'Get Alerts',
		value: 'getAlerts',
		action: 'Get new quota alerts',
		description:
			'Quotas that crossed their warning threshold or limit this period, each once per period',
	},
	description: [],
	once: true,
	check: () => null,
	write: perQuotaItem(async (db) => {
		const alerts = await recordAlerts(db);
		return {
			output: 0,
			quota: {},
			items: alerts.map((alert) => ({
				...alert,
				period_start: alert.period_start.toISOString(),
			})),
		};
	}),
};
