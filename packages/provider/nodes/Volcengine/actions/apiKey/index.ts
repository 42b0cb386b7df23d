import { perItem, type Resource } from '../../../../common/operation';
import * as create from './create';
import * as del from './delete';
import * as getAll from './getAll';
import * as update from './update';

export const resource: Resource = {
	option: { name: 'IAM API Key', value: 'apiKey' },
	default: 'getAll',
	operations: [
		perItem(
			{
				name: 'Create',
				value: 'create',
				action: 'Create an IAM API key',
				description: 'Create an IAM API key; its secret is returned once',
			},
			create,
		),
		perItem({ name: 'Delete', value: 'delete', action: 'Delete an IAM API key' }, del),
		perItem({ name: 'Get Many', value: 'getAll', action: 'Get many IAM API keys' }, getAll),
		perItem({ name: 'Update', value: 'update', action: 'Update an IAM API key' }, update),
	],
};
