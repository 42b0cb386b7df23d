import { perItem, type Resource } from '../../../../common/operation';
import * as archive from './archive';
import * as create from './create';
import * as get from './get';
import * as getAll from './getAll';
import * as update from './update';

export const resource: Resource = {
	option: { name: 'Project', value: 'project' },
	default: 'getAll',
	operations: [
		perItem(
			{
				name: 'Archive',
				value: 'archive',
				action: 'Archive a project',
				description: 'Archive a project; its keys stop working',
			},
			archive,
		),
		perItem({ name: 'Create', value: 'create', action: 'Create a project' }, create),
		perItem({ name: 'Get', value: 'get', action: 'Get a project' }, get),
		perItem({ name: 'Get Many', value: 'getAll', action: 'Get many projects' }, getAll),
		perItem(
			{
				name: 'Update',
				value: 'update',
				action: 'Update a project',
				description: 'Rename a project',
			},
			update,
		),
	],
};
