import { perItem, type Resource } from '../../../../common/operation';
import * as create from './create';
import * as del from './delete';
import * as getAll from './getAll';
import * as updateStatus from './updateStatus';

export const resource: Resource = {
	option: { name: 'Access Key', value: 'accessKey' },
	default: 'getAll',
	operations: [
		perItem(
			{
				name: 'Create',
				value: 'create',
				action: 'Create an access key',
				description: 'Create an access key; its secret is returned once',
			},
			create,
		),
		perItem({ name: 'Delete', value: 'delete', action: 'Delete an access key' }, del),
		perItem({ name: 'Get Many', value: 'getAll', action: 'Get many access keys' }, getAll),
		perItem(
			{
				name: 'Update Status',
				value: 'updateStatus',
				action: 'Enable or disable an access key',
			},
			updateStatus,
		),
	],
};
