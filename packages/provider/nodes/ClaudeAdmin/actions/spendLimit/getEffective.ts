import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { readLimit, returnAllOrLimit, show } from '../../../../common/fields';
import { listAll } from '../../../../transport/paginate';
import { anthropicApi } from '../../api';
import { SPEND_LIMIT_READS_BETA, summaryWithUsd, userIds } from './common';

export const description: INodeProperties[] = [
	{
		displayName: 'User IDs',
		name: 'userIds',
		type: 'string',
		default: '',
		placeholder: 'user_01WCz1FkmYMm4gnmykNKUu3Q, user_01JkLmNoPq',
		description: 'Only these members, comma-separated; empty for every member',
		displayOptions: show('spendLimit', 'getEffective'),
	},
	...returnAllOrLimit('spendLimit', 'getEffective'),
];

/**
 * Each member's limit in force, where it comes from (`source`: user, group, seat tier or the
 * organization) and their spend so far this period, with both amounts in USD beside the cents.
 */
export async function execute(this: IExecuteFunctions, i: number): Promise<IDataObject[]> {
	const rows = await listAll.call(
		this,
		anthropicApi,
		{
			method: 'GET',
			path: '/organizations/spend_limits/effective',
			query: { user_ids: userIds.call(this, 'userIds', 'User IDs', i) },
			headers: { 'anthropic-beta': SPEND_LIMIT_READS_BETA },
			itemIndex: i,
		},
		{ style: 'page', pageParam: 'page', limitParam: 'limit', pageSize: 1000 },
		{ limit: readLimit.call(this, i) },
	);
	return rows.map(summaryWithUsd);
}
