import { perItem, type Resource } from '../../../../common/operation';
import * as del from './delete';
import * as get from './get';
import * as getAll from './getAll';
import * as update from './update';

export const resource: Resource = {
	option: { name: 'User', value: 'user' },
	default: 'getAll',
	operations: [
		perItem(
			{ name: 'Delete', value: 'delete', action: 'Remove a user from the organization' },
			del,
		),
		perItem({ name: 'Get', value: 'get', action: 'Get a user' }, get),
		perItem({ name: 'Get Many', value: 'getAll', action: 'Get many users' }, getAll),
		perItem({ name: 'Update', value: 'update', action: 'Change the role of a user' }, update),
	],
};
