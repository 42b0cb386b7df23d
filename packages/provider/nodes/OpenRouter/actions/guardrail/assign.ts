import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { show } from '../../../../common/fields';
import type { PerItemRoom } from '../../../../common/operation';
import { segment } from '../../../../transport/provider';
import { openRouter } from '../../api';
import { commaList, guardrailId, RESOURCE } from './fields';

/** Who a guardrail applies to: API keys by hash, or organization members by user ID. */
export const assigneeField = (operations: string[]): INodeProperties => ({
	displayName: 'Assignees',
	name: 'assignees',
	type: 'options',
	options: [
		{ name: 'API Keys', value: 'keys' },
		{ name: 'Members', value: 'members' },
	],
	default: 'keys',
	displayOptions: show(RESOURCE, operations),
});

const idsField = (operation: string): INodeProperties[] => [
	{
		displayName: 'Key Hashes',
		name: 'keyHashes',
		type: 'string',
		required: true,
		default: '',
		description: 'Comma-separated. A key holds at most one guardrail: assigning replaces its own.',
		displayOptions: { show: { resource: [RESOURCE], operation: [operation], assignees: ['keys'] } },
	},
	{
		displayName: 'Member User IDs',
		name: 'memberUserIds',
		type: 'string',
		required: true,
		default: '',
		description: 'Comma-separated user IDs of organization members',
		displayOptions: {
			show: { resource: [RESOURCE], operation: [operation], assignees: ['members'] },
		},
	},
];

/** Assign (or, with `remove`, unassign) keys or members in one request. */
function room(operation: 'assign' | 'unassign'): PerItemRoom {
	return {
		description: [assigneeField([operation]), ...idsField(operation)],
		async execute(this: IExecuteFunctions, i: number): Promise<IDataObject> {
			const id = guardrailId.call(this, i);
			const keys = this.getNodeParameter('assignees', i, 'keys') === 'keys';
			const [field, label, name] = keys
				? (['keyHashes', 'Key Hashes', 'key_hashes'] as const)
				: (['memberUserIds', 'Member User IDs', 'member_user_ids'] as const);
			const ids = commaList(this.getNodeParameter(field, i, ''));
			if (!ids.length) {
				throw new NodeOperationError(
					this.getNode(),
					`"${label}" must list at least one, separated by commas (item ${i})`,
					{ itemIndex: i },
				);
			}
			const path = `/guardrails/${segment(id)}/assignments/${keys ? 'keys' : 'members'}${
				operation === 'unassign' ? '/remove' : ''
			}`;
			const answer = await openRouter.call(this, {
				method: 'POST',
				path,
				body: { [name]: ids },
				itemIndex: i,
			});
			return { guardrail_id: id, assignees: keys ? 'keys' : 'members', [name]: ids, ...answer };
		},
	};
}

export const assign = room('assign');
export const unassign = room('unassign');
