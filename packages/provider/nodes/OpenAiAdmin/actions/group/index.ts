import { perItem, type Resource } from '../../../../common/operation';
import * as create from './create';
import * as del from './delete';
import * as get from './get';
import * as getAll from './getAll';
import * as update from './update';

export const resource: Resource = {
	option: { name: 'Group', value: 'group' },
	default: 'getAll',
	operations: [
		perItem({ name: 'Create', value: 'create', action: 'Create a group' }, create),
		perItem({ name: 'Delete', value: 'delete', action: 'Delete a group' }, del),
		perItem({ name: 'Get', value: 'get', action: 'Get a group' }, get),
		perItem({ name: 'Get Many', value: 'getAll', action: 'Get many groups' }, getAll),
		perItem({ name: 'Update', value: 'update', action: 'Rename a group' }, update),
	],
};
