import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { readLimit, returnAllOrLimit, show } from '../../../../common/fields';
import { listAll } from '../../../../transport/paginate';
import { anthropicApi } from '../../api';
import { SPEND_LIMIT_READS_BETA, userIds } from '../spendLimit/common';
import { RESOURCE, requestWithUsd } from './common';

export const description: INodeProperties[] = [
	{
		displayName: 'Statuses',
		name: 'statuses',
		type: 'multiOptions',
		options: [
			{ name: 'Approved', value: 'approved' },
			{ name: 'Denied', value: 'denied' },
			{ name: 'Pending', value: 'pending' },
		],
		default: ['pending'],
		description: 'Only requests in these states; none for all',
		displayOptions: show(RESOURCE, 'getAll'),
	},
	{
		displayName: 'Requester IDs',
		name: 'actorIds',
		type: 'string',
		default: '',
		placeholder: 'user_01WCz1FkmYMm4gnmykNKUu3Q',
		description: 'Only requests of these members, comma-separated; empty for every member',
		displayOptions: show(RESOURCE, 'getAll'),
	},
	...returnAllOrLimit(RESOURCE, 'getAll'),
];

/** Members' requests for a higher limit, most recent first; a pending one carries the member's spend. */
export async function execute(this: IExecuteFunctions, i: number): Promise<IDataObject[]> {
	const requests = await listAll.call(
		this,
		anthropicApi,
		{
			method: 'GET',
			path: '/organizations/spend_limit_increase_requests',
			query: {
				status: this.getNodeParameter('statuses', i, []) as string[],
				actor_ids: userIds.call(this, 'actorIds', 'Requester IDs', i),
			},
			headers: { 'anthropic-beta': SPEND_LIMIT_READS_BETA },
			itemIndex: i,
		},
		{ style: 'page', pageParam: 'page', limitParam: 'limit', pageSize: 1000 },
		{ limit: readLimit.call(this, i) },
	);
	return requests.map(requestWithUsd);
}
