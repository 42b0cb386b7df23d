import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { show, timeRange } from '../../shared/fields';

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
