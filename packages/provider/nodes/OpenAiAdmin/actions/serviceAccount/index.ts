import { perItem, type Resource } from '../../../../common/operation';
import * as create from './create';
import * as createApiKey from './createApiKey';
import * as del from './delete';
import * as get from './get';
import * as getAll from './getAll';
import * as update from './update';

export const resource: Resource = {
	option: { name: 'Service Account', value: 'serviceAccount' },
	default: 'create',
	operations: [
		perItem(
			{
				name: 'Create',
				value: 'create',
				action: 'Create a service account',
				description: 'Create a service account and its first project API key (returned once)',
			},
			create,
		),
		perItem(
			{
				name: 'Create API Key',
				value: 'createApiKey',
				action: 'Create an API key for a service account',
				description:
					'Create another project API key for an existing service account (returned once)',
			},
			createApiKey,
		),
		perItem({ name: 'Delete', value: 'delete', action: 'Delete a service account' }, del),
		perItem({ name: 'Get', value: 'get', action: 'Get a service account' }, get),
		perItem({ name: 'Get Many', value: 'getAll', action: 'Get many service accounts' }, getAll),
		perItem({ name: 'Update', value: 'update', action: 'Update a service account' }, update),
	],
};
