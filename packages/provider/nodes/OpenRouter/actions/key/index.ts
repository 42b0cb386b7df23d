import { perItem, type Resource } from '../../../../common/operation';
import * as create from './create';
import * as del from './delete';
import * as get from './get';
import * as getAll from './getAll';
import * as update from './update';

export const resource: Resource = {
	option: { name: 'Key', value: 'key' },
	default: 'getAll',
	operations: [
		perItem(
			{
				name: 'Create',
				value: 'create',
				action: 'Create a key',
				description: 'With a credit limit; the key is returned once',
			},
			create,
		),
		perItem({ name: 'Delete', value: 'delete', action: 'Delete a key' }, del),
		perItem({ name: 'Get', value: 'get', action: 'Get a key' }, get),
		perItem({ name: 'Get Many', value: 'getAll', action: 'Get many keys' }, getAll),
		perItem(
			{
				name: 'Update',
				value: 'update',
				action: 'Update a key',
				description: 'Rename, disable, or change its limit',
			},
			update,
		),
	],
};
