import { perItem, type Resource } from '../../../../common/operation';
import * as del from './delete';
import * as get from './get';
import * as getAll from './getAll';

export const resource: Resource = {
	option: { name: 'Project API Key', value: 'projectApiKey' },
	notice:
		"OpenAI's API cannot create project API keys owned by a user. To create a project key programmatically, use Service Account → Create (or Create API Key): the key is returned once.",
	default: 'getAll',
	operations: [
		perItem({ name: 'Delete', value: 'delete', action: 'Delete a project API key' }, del),
		perItem({ name: 'Get', value: 'get', action: 'Get a project API key' }, get),
		perItem({ name: 'Get Many', value: 'getAll', action: 'Get many project API keys' }, getAll),
	],
};
