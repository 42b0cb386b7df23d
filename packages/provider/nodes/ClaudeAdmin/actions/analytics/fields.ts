import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { readLimit, returnAllOrLimit, show, timeRange } from '../../../../common/fields';
import { readReportFilters, reportFilters } from '../reportFields';
import { listAll } from '../../../../transport/paginate';
import type { Query } from '../../../../transport/provider';
import { anthropicApi } from '../../api';

/** The beta the Usage and Cost Analytics API answers under. */
export const ANALYTICS_BETA = 'analytics-usage-cost-2026-08-24';

/** Longest range one request may cover; longer ones are split into windows of this length. */
const WINDOW_MS = 31 * 86_400_000;

/** Earliest start the API accepts. */
const EARLIEST = Date.parse('2026-01-01T00:00:00Z');

/** Dimensions both endpoints group by; cost also by cost and token type. */
export const DIMENSIONS = [
	{ name: 'Actor', value: 'actor' },
	{ name: 'Actor Type', value: 'actor_type' },
	{ name: 'API Key', value: 'api_key_id' },
	{ name: 'Context Window', value: 'context_window' },
	{ name: 'Inference Geo', value: 'inference_geo' },
	{ name: 'Model', value: 'model' },
	{ name: 'Product', value: 'product' },
	{ name: 'Service Tier', value: 'service_tier' },
	{ name: 'Speed', value: 'speed' },
	{ name: 'Workspace', value: 'workspace_id' },
];

export function analyticsFields(
	operation: string,
	dimensions: typeof DIMENSIONS,
): INodeProperties[] {
	const display = show('analytics', operation);
	return [
		{
			displayName: 'Starting At',
			name: 'startingAt',
			type: 'dateTime',
			required: true,
			default: '',
			description: 'Start of the range (not before 2026-01-01, within the last 365 days)',
			displayOptions: display,
		},
		{
			displayName: 'Ending At',
			name: 'endingAt',
			type: 'dateTime',
			default: '',
			description:
				'End of the range, exclusive; empty for now. A range longer than 31 days is read in 31-day windows.',
			displayOptions: display,
		},
		{
			displayName: 'Time Bucket',
			name: 'timeBucket',
			type: 'options',
			options: [
				{ name: '1 Day', value: '1d' },
				{ name: '1 Hour', value: '1h' },
				{
					name: 'None',
					value: 'none',
					description: 'One row per group for each window of at most 31 days',
				},
			],
			default: '1d',
			displayOptions: display,
		},
		{
			displayName: 'Group By',
			name: 'groupBy',
			type: 'multiOptions',
			options: dimensions,
			default: ['api_key_id'],
			displayOptions: display,
		},
		{ ...reportFilters(), displayOptions: display },
		...returnAllOrLimit('analytics', operation),
	];
}

/** [start, end) cut into windows the API accepts, oldest first. */
export function analyticsWindows(
	startMs: number,
	endMs: number,
): Array<{ start: string; end: string }> {
	const windows: Array<{ start: string; end: string }> = [];
	for (let from = startMs; from < endMs; from += WINDOW_MS) {
		windows.push({
			start: new Date(from).toISOString(),
			end: new Date(Math.min(from + WINDOW_MS, endMs)).toISOString(),
		});
	}
	return windows;
}

/**
 * Every row of an analytics endpoint over the node's range: one request per 31-day window, each
 * paged to its end (`page` = the previous `next_page`), rows flattened with their group's
 * dimensions beside `starting_at` and `ending_at`.
 */
export async function readAnalytics(
	this: IExecuteFunctions,
	path: string,
	i: number,
): Promise<IDataObject[]> {
	const { start, end } = timeRange.call(this, i, 'startingAt', 'endingAt');
	const startMs = start * 1000;
	const endMs = end === undefined ? Date.now() : end * 1000;
	if (startMs < EARLIEST) {
		throw new NodeOperationError(
			this.getNode(),
			`"Starting At" must be 2026-01-01 or later for the Analytics API, got ${new Date(startMs).toISOString()} (item ${i}); use the legacy reports for earlier days`,
			{ itemIndex: i },
		);
	}
	const bucket = String(this.getNodeParameter('timeBucket', i, '1d'));
	const filters = this.getNodeParameter('filters', i, {}) as IDataObject;
	const limit = readLimit.call(this, i);
	const rows: IDataObject[] = [];
	for (const window of analyticsWindows(startMs, endMs)) {
		const query: Query = {
			starting_at: window.start,
			ending_at: window.end,
			time_bucket_width: bucket === 'none' ? undefined : bucket,
			group_by: this.getNodeParameter('groupBy', i, []) as string[],
			...readReportFilters(filters),
		};
		const page = await listAll.call(
			this,
			anthropicApi,
			{ method: 'GET', path, query, itemIndex: i, headers: { 'anthropic-beta': ANALYTICS_BETA } },
			// Pages of the API's own size: `page` is the previous answer's `next_page`.
			{ style: 'page', pageParam: 'page' },
			{ limit: limit === undefined ? undefined : limit - rows.length },
		);
		rows.push(...page.map(flatten));
		if (limit !== undefined && rows.length >= limit) return rows.slice(0, limit);
	}
	return rows;
}

/** A row's group dimensions beside its range; a dimension not grouped by stays out. */
function flatten(row: IDataObject): IDataObject {
	const { group, ...rest } = row;
	const dimensions = Object.fromEntries(
		Object.entries((group as IDataObject | undefined) ?? {}).filter(([, value]) => value !== null),
	);
	return { ...dimensions, ...rest };
}
