import { perItem, type Resource } from '../../../../common/operation';
import * as get from './get';
import * as getAll from './getAll';
import * as update from './update';

export const resource: Resource = {
	option: { name: 'API Key', value: 'apiKey' },
	notice:
		"Anthropic's API cannot create API keys: create them in the Claude Console (Settings → API keys). Here you can read them, rename them and change their status.",
	default: 'getAll',
	operations: [
		perItem({ name: 'Get', value: 'get', action: 'Get an API key' }, get),
		perItem({ name: 'Get Many', value: 'getAll', action: 'Get many API keys' }, getAll),
		perItem(
			{
				name: 'Update',
				value: 'update',
				action: 'Update an API key',
				description: 'Rename it or change its status',
			},
			update,
		),
	],
};
