import { perItem, type Resource } from '../../../../common/operation';
import * as assign from './assign';
import * as get from './get';
import * as getAll from './getAll';
import * as unassign from './unassign';

export const resource: Resource = {
	option: { name: 'Group Role', value: 'groupRole' },
	default: 'getAll',
	operations: [
		perItem({ name: 'Assign', value: 'assign', action: 'Assign a role to a group' }, assign),
		perItem({ name: 'Get', value: 'get', action: 'Get a role of a group' }, get),
		perItem({ name: 'Get Many', value: 'getAll', action: 'Get many roles of a group' }, getAll),
		perItem(
			{ name: 'Unassign', value: 'unassign', action: 'Unassign a role from a group' },
			unassign,
		),
	],
};
