import { perItem, type Resource } from '../../../../common/operation';
import * as get from './get';
import * as summarize from './summarize';

export const resource: Resource = {
	option: { name: 'Cost', value: 'cost' },
	default: 'get',
	operations: [
		perItem(
			{
				name: 'Get',
				value: 'get',
				action: 'Get costs',
				description: 'One item per daily cost result',
			},
			get,
		),
		perItem(
			{
				name: 'Summarize',
				value: 'summarize',
				action: 'Summarize costs',
				description: 'Month-to-date and today cost per project and for the organization',
			},
			summarize,
		),
	],
};
