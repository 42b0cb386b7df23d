import { perItem, type Resource } from '../../../../common/operation';
import * as get from './get';

export const resource: Resource = {
	option: { name: 'Activity', value: 'activity' },
	default: 'get',
	operations: [
		perItem(
			{
				name: 'Get',
				value: 'get',
				action: 'Get the activity',
				description: 'Usage per day, model and provider',
			},
			get,
		),
	],
};
