import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { csvList, readLimit, returnAllOrLimit } from '../../../../common/fields';
import { readReport } from '../common';
import {
	BUCKETS_PER_PAGE,
	periodFields,
	readBucketWidth,
	readPeriod,
	readReportFilters,
	reportFilters,
} from '../reportFields';

export const description: INodeProperties[] = [
	...periodFields('usageReport', 'get'),
	{
		displayName: 'Bucket Width',
		name: 'bucketWidth',
		type: 'options',
		options: [
			{ name: '1 Minute', value: '1m' },
			{ name: '1 Hour', value: '1h' },
			{ name: '1 Day', value: '1d' },
		],
		default: '1d',
	},
	{
		displayName: 'Group By',
		name: 'groupBy',
		type: 'multiOptions',
		options: [
			{ name: 'API Key', value: 'api_key_id' },
			{ name: 'Context Window', value: 'context_window' },
			{ name: 'Inference Geo', value: 'inference_geo' },
			{ name: 'Model', value: 'model' },
			{ name: 'Service Tier', value: 'service_tier' },
			{ name: 'Workspace', value: 'workspace_id' },
		],
		default: [],
	},
	reportFilters([
		{
			displayName: 'Context Windows',
			name: 'contextWindows',
			type: 'multiOptions',
			options: [
				{ name: '0-200k', value: '0-200k' },
				{ name: '200k-1M', value: '200k-1M' },
			],
			default: [],
		},
	]),
	...returnAllOrLimit('usageReport', 'get'),
];

/** Messages usage: one item per bucket result, every kind of token in its own field. */
export async function execute(this: IExecuteFunctions, i: number): Promise<IDataObject[]> {
	const width = readBucketWidth.call(this, i, ['1m', '1h', '1d'], 'usage report');
	const filters = this.getNodeParameter('filters', i, {}) as IDataObject;
	const rows = await readReport.call(
		this,
		'/organizations/usage_report/messages',
		{
			...readPeriod.call(this, i),
			bucket_width: width,
			group_by: this.getNodeParameter('groupBy', i, []) as string[],
			...readReportFilters(filters),
			context_window: csvList(filters.contextWindows),
		},
		BUCKETS_PER_PAGE[width],
		i,
		readLimit.call(this, i),
	);
	return rows.map((row) => {
		const creation = (row.cache_creation ?? {}) as IDataObject;
		return {
			...row,
			cache_creation_5m_input_tokens: creation.ephemeral_5m_input_tokens ?? 0,
			cache_creation_1h_input_tokens: creation.ephemeral_1h_input_tokens ?? 0,
		};
	});
}
