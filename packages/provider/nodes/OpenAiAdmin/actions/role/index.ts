import { perItem, type Resource } from '../../../../common/operation';
import * as create from './create';
import * as del from './delete';
import * as get from './get';
import * as getAll from './getAll';
import * as update from './update';

export const resource: Resource = {
	option: { name: 'Role', value: 'role' },
	default: 'getAll',
	operations: [
		perItem({ name: 'Create', value: 'create', action: 'Create a custom role' }, create),
		perItem({ name: 'Delete', value: 'delete', action: 'Delete a custom role' }, del),
		perItem({ name: 'Get', value: 'get', action: 'Get a role' }, get),
		perItem({ name: 'Get Many', value: 'getAll', action: 'Get many roles' }, getAll),
		perItem(
			{
				name: 'Update',
				value: 'update',
				action: 'Update a custom role',
				description: 'Fields left empty stay as they are',
			},
			update,
		),
	],
};
