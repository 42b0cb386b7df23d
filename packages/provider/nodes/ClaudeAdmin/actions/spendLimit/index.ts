import { perItem, type Resource } from '../../../../common/operation';
import * as del from './delete';
import * as get from './get';
import * as getAll from './getAll';
import * as getEffective from './getEffective';
import * as getForScope from './getForScope';
import * as set from './set';

export const resource: Resource = {
	option: { name: 'Spend Limit', value: 'spendLimit' },
	default: 'getAll',
	operations: [
		perItem({ name: 'Delete', value: 'delete', action: 'Delete a spend limit' }, del),
		perItem({ name: 'Get', value: 'get', action: 'Get a spend limit' }, get),
		perItem(
			{
				name: 'Get for Scope',
				value: 'getForScope',
				action: 'Get the spend limit of a scope',
				description: 'The limit of one scope and period, or exists false when it has none',
			},
			getForScope,
		),
		perItem(
			{
				name: 'Get Effective',
				value: 'getEffective',
				action: 'Get members’ effective spend limits',
				description:
					'Each member’s limit in force, where it comes from, and their spend this period (Claude Enterprise)',
			},
			getEffective,
		),
		perItem({ name: 'Get Many', value: 'getAll', action: 'Get many spend limits' }, getAll),
		perItem(
			{
				name: 'Set',
				value: 'set',
				action: 'Set a spend limit',
				description:
					'Create or replace the limit of a scope (organization, workspace or user) and period, in USD',
			},
			set,
		),
	],
};
