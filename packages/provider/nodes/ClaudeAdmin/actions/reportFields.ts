import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { startOfUtcDay } from '../../../common/time';
import { csvList, show, timeRange } from '../../../common/fields';

export function periodFields(resource: string, operation: string): INodeProperties[] {
	return [
		{
			displayName: 'Starting At',
			name: 'startingAt',
			type: 'dateTime',
			required: true,
			default: '',
			description: 'Buckets that start at or after this time',
			displayOptions: show(resource, operation),
		},
		{
			displayName: 'Ending At',
			name: 'endingAt',
			type: 'dateTime',
			default: '',
			description: 'Buckets that end before this time; empty for now',
			displayOptions: show(resource, operation),
		},
	];
}

export function readPeriod(
	this: IExecuteFunctions,
	i: number,
): { starting_at: string; ending_at?: string } {
	const { start, end } = timeRange.call(this, i, 'startingAt', 'endingAt');
	return {
		starting_at: new Date(start * 1000).toISOString(),
		ending_at: end === undefined ? undefined : new Date(end * 1000).toISOString(),
	};
}

const DAY_MS = 86_400_000;

/**
 * A period of whole UTC days for the daily cost report: the start floored and the end raised to
 * UTC midnight (empty: the midnight after now). The report leaves out every bucket that ends after
 * `ending_at`, so an end that is not day-aligned would drop the last day, today included.
 */
export function readDailyPeriod(
	this: IExecuteFunctions,
	i: number,
	nowMs = Date.now(),
): { starting_at: string; ending_at: string } {
	const { start, end } = timeRange.call(this, i, 'startingAt', 'endingAt');
	return dayAligned(start * 1000, end === undefined ? nowMs : end * 1000);
}

/** [start, end) widened to whole UTC days: start at its midnight, end at the next midnight unless on one. */
export function dayAligned(
	startMs: number,
	endMs: number,
): { starting_at: string; ending_at: string } {
	const first = startOfUtcDay(startMs);
	const endDay = startOfUtcDay(endMs);
	const last = endDay === endMs ? endMs : endDay + DAY_MS;
	return {
		starting_at: new Date(first).toISOString(),
		ending_at: new Date(Math.max(last, first + DAY_MS)).toISOString(),
	};
}

/** Buckets per page each width allows: Anthropic's maximum for it. */
export const BUCKETS_PER_PAGE: Record<string, number> = { '1m': 1440, '1h': 168, '1d': 31 };

export function readBucketWidth(
	this: IExecuteFunctions,
	i: number,
	allowed: string[],
	report: string,
): string {
	const width = String(this.getNodeParameter('bucketWidth', i, '1d'));
	if (!allowed.includes(width)) {
		throw new NodeOperationError(
			this.getNode(),
			`"Bucket Width" must be ${allowed.join(', ')} for the ${report}, got "${width}" (item ${i})`,
			{ itemIndex: i },
		);
	}
	return width;
}

/** Filters the usage report and the Analytics API share (`extra` adds a report's own). */
export function reportFilters(extra: INodeProperties[] = []): INodeProperties {
	const text = (displayName: string, name: string): INodeProperties => ({
		displayName,
		name,
		type: 'string',
		default: '',
		description: 'Comma-separated',
	});
	const options: INodeProperties[] = [
		text('API Key IDs', 'keyIds'),
		text('Models', 'models'),
		{
			displayName: 'Service Tiers',
			name: 'serviceTiers',
			type: 'multiOptions',
			options: [
				{ name: 'Batch', value: 'batch' },
				{ name: 'Flex', value: 'flex' },
				{ name: 'Priority', value: 'priority' },
				{ name: 'Standard', value: 'standard' },
			],
			default: [],
		},
		text('Workspace IDs', 'workspaceIds'),
		...extra,
	];
	return {
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		options: options.sort((a, b) => a.displayName.localeCompare(b.displayName)),
	};
}

/** The shared filters as query parameters. */
export function readReportFilters(filters: IDataObject) {
	return {
		api_key_ids: csvList(filters.keyIds),
		workspace_ids: csvList(filters.workspaceIds),
		models: csvList(filters.models),
		service_tiers: csvList(filters.serviceTiers),
	};
}
