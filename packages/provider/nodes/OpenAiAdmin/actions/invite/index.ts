import { perItem, type Resource } from '../../../../common/operation';
import * as create from './create';
import * as del from './delete';
import * as get from './get';
import * as getAll from './getAll';

export const resource: Resource = {
	option: { name: 'Invite', value: 'invite' },
	default: 'getAll',
	operations: [
		perItem(
			{ name: 'Create', value: 'create', action: 'Invite a user to the organization' },
			create,
		),
		perItem(
			{
				name: 'Delete',
				value: 'delete',
				action: 'Delete an invite',
				description: 'Delete an invite that has not been accepted',
			},
			del,
		),
		perItem({ name: 'Get', value: 'get', action: 'Get an invite' }, get),
		perItem({ name: 'Get Many', value: 'getAll', action: 'Get many invites' }, getAll),
	],
};
