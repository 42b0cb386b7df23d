import { perItem, type Resource } from '../../../../common/operation';
import * as add from './add';
import * as get from './get';
import * as getAll from './getAll';
import * as remove from './remove';

export const resource: Resource = {
	option: { name: 'Group User', value: 'groupUser' },
	default: 'getAll',
	operations: [
		perItem({ name: 'Add', value: 'add', action: 'Add a user to a group' }, add),
		perItem({ name: 'Get', value: 'get', action: 'Get a user of a group' }, get),
		perItem({ name: 'Get Many', value: 'getAll', action: 'Get many users of a group' }, getAll),
		perItem({ name: 'Remove', value: 'remove', action: 'Remove a user from a group' }, remove),
	],
};
