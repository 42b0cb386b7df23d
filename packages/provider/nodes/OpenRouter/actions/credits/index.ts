import { perItem, type Resource } from '../../../../common/operation';
import * as get from './get';

export const resource: Resource = {
	option: { name: 'Credit', value: 'credits' },
	default: 'get',
	operations: [
		perItem(
			{
				name: 'Get',
				value: 'get',
				action: 'Get the credits',
				description: 'Bought, used and remaining',
			},
			get,
		),
	],
};
