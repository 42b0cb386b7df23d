import { perItem, type Resource } from '../../../../common/operation';
import * as get from './get';

export const resource: Resource = {
	option: { name: 'Current Key', value: 'currentKey' },
	default: 'get',
	operations: [
		perItem(
			{
				name: 'Get',
				value: 'get',
				action: 'Get the current key',
				description: "The credential's own key: usage, limit, rate limit",
			},
			get,
		),
	],
};
