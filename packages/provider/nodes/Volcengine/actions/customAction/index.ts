import { perItem, type Resource } from '../../../../common/operation';
import * as execute from './execute';

export const resource: Resource = {
	option: { name: 'Custom Action', value: 'customAction' },
	default: 'execute',
	operations: [
		perItem(
			{
				name: 'Execute',
				value: 'execute',
				action: 'Call any API action',
				description: 'Send a signed request for any service, version and action',
			},
			execute,
		),
	],
};
