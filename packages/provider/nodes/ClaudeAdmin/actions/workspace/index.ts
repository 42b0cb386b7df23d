import { perItem, type Resource } from '../../../../common/operation';
import * as archive from './archive';
import * as create from './create';
import * as get from './get';
import * as getAll from './getAll';
import * as update from './update';

export const resource: Resource = {
	option: { name: 'Workspace', value: 'workspace' },
	default: 'getAll',
	operations: [
		perItem(
			{
				name: 'Archive',
				value: 'archive',
				action: 'Archive a workspace',
				description: 'Its API keys stop working',
			},
			archive,
		),
		perItem({ name: 'Create', value: 'create', action: 'Create a workspace' }, create),
		perItem({ name: 'Get', value: 'get', action: 'Get a workspace' }, get),
		perItem({ name: 'Get Many', value: 'getAll', action: 'Get many workspaces' }, getAll),
		perItem({ name: 'Update', value: 'update', action: 'Rename a workspace' }, update),
	],
};
