import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { readLimit, returnAllOrLimit, show } from '../../../../common/fields';
import { listAll } from '../../../../transport/paginate';
import { anthropicApi } from '../../api';
import { workspaceId } from '../common';
import { SPEND_LIMIT_READS_BETA, withUsd } from './common';

export const description: INodeProperties[] = [
	{
		displayName: 'Scope Types',
		name: 'scopeTypes',
		type: 'multiOptions',
		options: [
			{ name: 'Organization', value: 'organization' },
			{ name: 'Organization Service', value: 'organization_service' },
			{ name: 'RBAC Group', value: 'rbac_group' },
			{ name: 'Seat Tier', value: 'seat_tier' },
			{ name: 'Usage Tier', value: 'usage_tier' },
			{ name: 'User', value: 'user' },
			{ name: 'Workspace', value: 'workspace' },
		],
		default: [],
		description: 'Only limits of these scope types; none for all',
		displayOptions: show('spendLimit', 'getAll'),
	},
	{
		displayName: 'Workspace ID',
		name: 'workspaceFilter',
		type: 'string',
		default: '',
		placeholder: 'wrkspc_01JwQvzr7rXLA5AGx3HKfFUJ',
		description: 'Only the limits of this workspace (Console organizations)',
		displayOptions: show('spendLimit', 'getAll'),
	},
	...returnAllOrLimit('spendLimit', 'getAll'),
];

/** The organization's spend limits, each with its amount in USD beside Anthropic's cents. */
export async function execute(this: IExecuteFunctions, i: number): Promise<IDataObject[]> {
	const limits = await listAll.call(
		this,
		anthropicApi,
		{
			method: 'GET',
			path: '/organizations/spend_limits',
			query: {
				scope_type: this.getNodeParameter('scopeTypes', i, []) as string[],
				workspace_id: workspaceId.call(this, 'workspaceFilter', i, false),
			},
			headers: { 'anthropic-beta': SPEND_LIMIT_READS_BETA },
			itemIndex: i,
		},
		{ style: 'page', pageParam: 'page', limitParam: 'limit', pageSize: 1000 },
		{ limit: readLimit.call(this, i) },
	);
	return limits.map(withUsd);
}
