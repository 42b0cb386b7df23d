import { perItem, type Resource } from '../../../../common/operation';
import * as add from './add';
import { memberFields } from './common';
import * as get from './get';
import * as getAll from './getAll';
import * as remove from './remove';
import * as updateRole from './updateRole';

export const resource: Resource = {
	option: { name: 'Workspace Member', value: 'workspaceMember' },
	default: 'getAll',
	fields: memberFields,
	operations: [
		perItem({ name: 'Add', value: 'add', action: 'Add a member to a workspace' }, add),
		perItem({ name: 'Get', value: 'get', action: 'Get a workspace member' }, get),
		perItem({ name: 'Get Many', value: 'getAll', action: 'Get many workspace members' }, getAll),
		perItem(
			{ name: 'Remove', value: 'remove', action: 'Remove a member from a workspace' },
			remove,
		),
		perItem(
			{ name: 'Update Role', value: 'updateRole', action: 'Update a workspace member role' },
			updateRole,
		),
	],
};
