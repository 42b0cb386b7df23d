import { perItem, type Resource } from '../../../../common/operation';
import * as add from './add';
import * as get from './get';
import * as getAll from './getAll';
import * as remove from './remove';

export const resource: Resource = {
	option: { name: 'Project Group', value: 'projectGroup' },
	default: 'getAll',
	operations: [
		perItem({ name: 'Add', value: 'add', action: 'Give a group access to a project' }, add),
		perItem({ name: 'Get', value: 'get', action: 'Get a group of a project' }, get),
		perItem({ name: 'Get Many', value: 'getAll', action: 'Get many groups of a project' }, getAll),
		perItem({ name: 'Remove', value: 'remove', action: 'Remove a group from a project' }, remove),
	],
};
