import { perItem, type Resource } from '../../../../common/operation';
import * as del from './delete';
import * as get from './get';
import * as set from './set';

export const resource: Resource = {
	option: { name: 'Spend Limit', value: 'spendLimit' },
	default: 'get',
	operations: [
		perItem(
			{
				name: 'Delete',
				value: 'delete',
				action: 'Delete a spend limit',
				description: 'Remove the hard monthly spend limit',
			},
			del,
		),
		perItem(
			{
				name: 'Get',
				value: 'get',
				action: 'Get a spend limit',
				description: 'Read the hard monthly spend limit',
			},
			get,
		),
		perItem(
			{
				name: 'Set',
				value: 'set',
				action: 'Set a spend limit',
				description:
					'Create or replace the hard monthly spend limit; OpenAI stops requests above it',
			},
			set,
		),
	],
};
