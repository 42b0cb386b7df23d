import { perItem, type Resource } from '../../../../common/operation';
import * as create from './create';
import * as del from './delete';
import * as get from './get';
import * as getAll from './getAll';

export const resource: Resource = {
	option: { name: 'Admin API Key', value: 'adminApiKey' },
	default: 'getAll',
	operations: [
		perItem(
			{
				name: 'Create',
				value: 'create',
				action: 'Create an admin API key',
				description: 'Create an admin API key; its value is returned once',
			},
			create,
		),
		perItem({ name: 'Delete', value: 'delete', action: 'Delete an admin API key' }, del),
		perItem({ name: 'Get', value: 'get', action: 'Get an admin API key' }, get),
		perItem({ name: 'Get Many', value: 'getAll', action: 'Get many admin API keys' }, getAll),
	],
};
