import { perItem, type Resource } from '../../../../common/operation';
import * as create from './create';
import * as del from './delete';
import * as get from './get';
import * as getAll from './getAll';
import * as update from './update';

export const resource: Resource = {
	option: { name: 'Spend Alert', value: 'spendAlert' },
	default: 'getAll',
	operations: [
		perItem(
			{
				name: 'Create',
				value: 'create',
				action: 'Create a spend alert',
				description: 'Email recipients when monthly spend reaches a threshold',
			},
			create,
		),
		perItem({ name: 'Delete', value: 'delete', action: 'Delete a spend alert' }, del),
		perItem({ name: 'Get', value: 'get', action: 'Get a spend alert' }, get),
		perItem({ name: 'Get Many', value: 'getAll', action: 'Get many spend alerts' }, getAll),
		perItem({ name: 'Update', value: 'update', action: 'Update a spend alert' }, update),
	],
};
