import { perItem, type Resource } from '../../../../common/operation';
import * as getAll from './getAll';

export const resource: Resource = {
	option: { name: 'Rate Limit', value: 'rateLimit' },
	default: 'getAll',
	operations: [
		perItem(
			{
				name: 'Get Many',
				value: 'getAll',
				action: 'Get rate limits',
				description:
					'The rate limits of the organization, or a workspace’s overrides, per model group and resource',
			},
			getAll,
		),
	],
};
