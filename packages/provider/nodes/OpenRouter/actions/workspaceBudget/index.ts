import { perItem, type Resource } from '../../../../common/operation';
import * as del from './delete';
import * as get from './get';
import * as getAll from './getAll';
import * as set from './set';

export const resource: Resource = {
	option: { name: 'Workspace Budget', value: 'workspaceBudget' },
	default: 'getAll',
	notice: 'Workspace budgets are an OpenRouter Enterprise feature',
	operations: [
		perItem({ name: 'Delete', value: 'delete', action: 'Delete a workspace budget' }, del),
		perItem({ name: 'Get', value: 'get', action: 'Get a workspace budget' }, get),
		perItem(
			{ name: 'Get Many', value: 'getAll', action: 'Get the budgets of a workspace' },
			getAll,
		),
		perItem(
			{
				name: 'Set',
				value: 'set',
				action: 'Set a workspace budget',
				description: 'Create or replace the budget of one interval',
			},
			set,
		),
	],
};
