import { perItem, type Resource } from '../../../../common/operation';
import * as get from './get';
import * as getAll from './getAll';
import * as remove from './remove';
import * as updateRole from './updateRole';

export const resource: Resource = {
	option: { name: 'User', value: 'user' },
	default: 'getAll',
	operations: [
		perItem({ name: 'Get', value: 'get', action: 'Get a user' }, get),
		perItem({ name: 'Get Many', value: 'getAll', action: 'Get many users' }, getAll),
		perItem(
			{ name: 'Remove', value: 'remove', action: 'Remove a user from the organization' },
			remove,
		),
		perItem({ name: 'Update Role', value: 'updateRole', action: 'Update a user role' }, updateRole),
	],
};
