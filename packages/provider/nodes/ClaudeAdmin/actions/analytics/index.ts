import { perItem, type Resource } from '../../../../common/operation';
import * as getCost from './getCost';
import * as getUsage from './getUsage';

export const resource: Resource = {
	option: { name: 'Analytics', value: 'analytics' },
	default: 'getCost',
	operations: [
		perItem(
			{
				name: 'Get Cost',
				value: 'getCost',
				action: 'Get billed cost by dimension',
				description:
					'Billed cost in USD, exact, by API key, workspace, model or other dimensions (Usage and Cost Analytics API)',
			},
			getCost,
		),
		perItem(
			{
				name: 'Get Usage',
				value: 'getUsage',
				action: 'Get token usage by dimension',
				description: 'Token and request counts by API key, workspace, model or other dimensions',
			},
			getUsage,
		),
	],
};
