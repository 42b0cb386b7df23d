import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { readLimit, returnAllOrLimit, show } from '../../../../common/fields';
import { listAll } from '../../../../transport/paginate';
import { segment } from '../../../../transport/provider';
import { openRouterApi } from '../../api';
import { assigneeField } from './assign';
import { guardrailId, RESOURCE } from './fields';
import { guardrailPages } from './getAll';

const here = show(RESOURCE, 'getAssignments');

export const description: INodeProperties[] = [
	assigneeField(['getAssignments']),
	{
		displayName: 'Of',
		name: 'of',
		type: 'options',
		options: [
			{ name: 'One Guardrail', value: 'one' },
			{ name: 'Every Guardrail', value: 'all' },
		],
		default: 'one',
		displayOptions: here,
	},
	{
		displayName: 'Guardrail ID',
		name: 'guardrailId',
		type: 'string',
		required: true,
		default: '',
		placeholder: '550e8400-e29b-41d4-a716-446655440000',
		displayOptions: { show: { ...here.show, of: ['one'] } },
	},
	...returnAllOrLimit(RESOURCE, 'getAssignments'),
];

/** Which keys or members a guardrail (or every guardrail) applies to, one item each. */
export async function execute(this: IExecuteFunctions, i: number): Promise<IDataObject[]> {
	const kind = this.getNodeParameter('assignees', i, 'keys') === 'keys' ? 'keys' : 'members';
	const path =
		this.getNodeParameter('of', i, 'one') === 'all'
			? `/guardrails/assignments/${kind}`
			: `/guardrails/${segment(guardrailId.call(this, i))}/assignments/${kind}`;
	return await listAll.call(
		this,
		openRouterApi,
		{ method: 'GET', path, itemIndex: i },
		guardrailPages,
		{ limit: readLimit.call(this, i) },
	);
}
