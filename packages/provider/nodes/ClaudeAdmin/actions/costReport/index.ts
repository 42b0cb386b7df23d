import { perItem, type Resource } from '../../../../common/operation';
import * as get from './get';
import * as summarize from './summarize';

export const resource: Resource = {
	option: { name: 'Cost Report (Legacy)', value: 'costReport' },
	default: 'get',
	operations: [
		perItem(
			{
				name: 'Get',
				value: 'get',
				action: 'Get the cost report',
				description: 'Daily costs in USD, exact',
			},
			get,
		),
		perItem(
			{
				name: 'Summarize',
				value: 'summarize',
				action: 'Summarize costs per workspace',
				description: 'Month-to-date and today per workspace, and the organization total',
			},
			summarize,
		),
	],
};
