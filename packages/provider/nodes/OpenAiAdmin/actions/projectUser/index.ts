import { perItem, type Resource } from '../../../../common/operation';
import * as add from './add';
import * as get from './get';
import * as getAll from './getAll';
import * as remove from './remove';
import * as updateRole from './updateRole';

export const resource: Resource = {
	option: { name: 'Project User', value: 'projectUser' },
	default: 'getAll',
	operations: [
		perItem({ name: 'Add', value: 'add', action: 'Add a user to a project' }, add),
		perItem({ name: 'Get', value: 'get', action: 'Get a project user' }, get),
		perItem({ name: 'Get Many', value: 'getAll', action: 'Get many project users' }, getAll),
		perItem({ name: 'Remove', value: 'remove', action: 'Remove a user from a project' }, remove),
		perItem(
			{ name: 'Update Role', value: 'updateRole', action: 'Update the role of a project user' },
			updateRole,
		),
	],
};
