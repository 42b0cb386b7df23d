import type { INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import {
	renderReport,
	REPORT_FORMATS,
	type ReportData,
	type ReportFormat,
} from '../../../core/usage/report';
import { readDrift, readStats } from '../../../core/usage/store';
import { timeRange } from '../../../common/fields';
import { withPostgres } from '../../postgres/pool';
import type { Operation } from '../../../common/operation';

const here = { show: { operation: ['report'] } };

export const description: INodeProperties[] = [
	{
		displayName: 'Start Time',
		name: 'reportStart',
		type: 'dateTime',
		default: "={{ $now.setZone('UTC').startOf('day').minus({ days: 29 }).toISO() }}",
		required: true,
		description: 'Counted from the start of its UTC day',
		displayOptions: here,
	},
	{
		displayName: 'End Time',
		name: 'reportEnd',
		type: 'dateTime',
		default: '={{ $now.toISO() }}',
		description: 'Counted to the end of its UTC day',
		displayOptions: here,
	},
	{
		displayName: 'Format',
		name: 'format',
		type: 'options',
		options: [
			{ name: 'CSV', value: 'csv', description: 'Daily rows per provider, then the top keys' },
			{
				name: 'HTML',
				value: 'html',
				description: 'A page with charts of daily cost, top keys and error rate',
			},
		],
		default: 'html',
		displayOptions: here,
	},
	{
		displayName: 'Top Keys',
		name: 'topKeys',
		type: 'number',
		default: 10,
		typeOptions: { minValue: 1, maxValue: 100 },
		description: 'How many keys the report lists, by cost',
		displayOptions: here,
	},
];

interface ReportRequest {
	format: ReportFormat;
	range: { start: Date; end: Date };
	top: number;
}

/**
 * A usage and cost report for a period, from the same statements as Get Stats: one output item
 * per input item with `body`, `contentType` and `disposition`, ready for Respond to Webhook or a
 * file.
 */
export const report: Operation<ReportRequest> = {
	option: {
		name: 'Report',
		value: 'report',
		action: 'Render a usage report',
		description: 'HTML page with charts, or CSV, of a period: daily cost per provider and top keys',
	},
	description,
	check(i) {
		const format = this.getNodeParameter('format', i) as ReportFormat;
		if (!REPORT_FORMATS.includes(format)) {
			throw new NodeOperationError(
				this.getNode(),
				`"Format" must be html or csv, got "${String(format)}" (item ${i})`,
				{ itemIndex: i },
			);
		}
		const { start, end } = timeRange.call(this, i, 'reportStart', 'reportEnd');
		return {
			format,
			range: { start: new Date(start * 1000), end: new Date((end ?? Date.now() / 1000) * 1000) },
			top: this.getNodeParameter('topKeys', i, 10) as number,
		};
	},

	async write(checked, results) {
		await withPostgres.call(this, async (client) => {
			for (const { item, input } of checked) {
				try {
					const { range, format } = input;
					const [overview] = await readStats(client, 'overview', range);
					const data: ReportData = {
						...range,
						overview: overview ?? {},
						daily: (await readStats(client, 'daily', range)) as ReportData['daily'],
						drift: (await readDrift(client, range)) as ReportData['drift'],
						layers: (await readStats(client, 'layers', range)) as ReportData['layers'],
						topKeys: (await readStats(
							client,
							'topKeys',
							range,
							input.top,
						)) as ReportData['topKeys'],
					};
					results.emit(0, {
						json: {
							start_time: range.start.toISOString(),
							end_time: range.end.toISOString(),
							format,
							...renderReport(data, format),
						},
						pairedItem: { item },
					});
				} catch (error) {
					results.fail(error, item);
				}
			}
		});
	},
};
