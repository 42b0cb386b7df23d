import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { readLimit, returnAllOrLimit } from '../../../../common/fields';
import { periodFields, readBucketWidth, readDailyPeriod } from '../reportFields';
import { readCosts } from './costRows';

export const description: INodeProperties[] = [
	...periodFields('costReport', 'get'),
	{
		displayName: 'Bucket Width',
		name: 'bucketWidth',
		type: 'options',
		options: [{ name: '1 Day', value: '1d' }],
		default: '1d',
		description: 'The cost report has daily buckets only',
	},
	{
		displayName: 'Group By',
		name: 'groupBy',
		type: 'multiOptions',
		options: [
			{
				name: 'Description',
				value: 'description',
				description: 'Model, token type and service tier',
			},
			{ name: 'Workspace', value: 'workspace_id' },
		],
		default: ['workspace_id', 'description'],
	},
	...returnAllOrLimit('costReport', 'get'),
];

/**
 * One item per daily cost result, the amount in USD as an exact decimal string. The period is
 * widened to whole UTC days; `bucket_open` marks a day that has not ended yet (its cost grows).
 */
export async function execute(this: IExecuteFunctions, i: number): Promise<IDataObject[]> {
	readBucketWidth.call(this, i, ['1d'], 'cost report');
	return await readCosts.call(
		this,
		{
			...readDailyPeriod.call(this, i),
			group_by: this.getNodeParameter('groupBy', i, []) as string[],
		},
		i,
		readLimit.call(this, i),
	);
}
