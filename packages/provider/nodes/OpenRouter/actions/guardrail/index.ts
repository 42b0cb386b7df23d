import { perItem, type Resource } from '../../../../common/operation';
import { assign, unassign } from './assign';
import * as create from './create';
import * as del from './delete';
import * as get from './get';
import * as getAll from './getAll';
import * as getAssignments from './getAssignments';
import * as update from './update';

export const resource: Resource = {
	option: { name: 'Guardrail', value: 'guardrail' },
	default: 'getAll',
	operations: [
		perItem(
			{
				name: 'Assign',
				value: 'assign',
				action: 'Assign a guardrail',
				description: 'Apply it to API keys or organization members',
			},
			assign,
		),
		perItem(
			{
				name: 'Create',
				value: 'create',
				action: 'Create a guardrail',
				description: 'A budget with a reset and the models and providers allowed',
			},
			create,
		),
		perItem({ name: 'Delete', value: 'delete', action: 'Delete a guardrail' }, del),
		perItem({ name: 'Get', value: 'get', action: 'Get a guardrail' }, get),
		perItem(
			{
				name: 'Get Assignments',
				value: 'getAssignments',
				action: 'Get guardrail assignments',
				description: 'The keys or members a guardrail, or every guardrail, applies to',
			},
			getAssignments,
		),
		perItem({ name: 'Get Many', value: 'getAll', action: 'Get many guardrails' }, getAll),
		perItem(
			{
				name: 'Unassign',
				value: 'unassign',
				action: 'Unassign a guardrail',
				description: 'Stop applying it to API keys or organization members',
			},
			unassign,
		),
		perItem({ name: 'Update', value: 'update', action: 'Update a guardrail' }, update),
	],
};
