import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { readStats, STATS, type StatsKind } from '../../../core/usage/store';
import { timeRange } from '../../../common/fields';
import { withPostgres } from '../../postgres/pool';
import type { Operation } from '../../../common/operation';

const here = { show: { operation: ['getStats'] } };
const forStats = (kinds: StatsKind[]) => ({ show: { operation: ['getStats'], statistic: kinds } });

export const description: INodeProperties[] = [
	{
		displayName: 'Statistic',
		name: 'statistic',
		type: 'options',
		options: [
			{
				name: 'By Layer',
				value: 'layers',
				description:
					'Spend per team, organization, project or account above the keys and tokens that spent',
			},
			{
				name: 'Daily by Provider',
				value: 'daily',
				description: 'Calls, errors, tokens, cost and latency per UTC day and provider',
			},
			{
				name: 'Hourly',
				value: 'hourly',
				description: 'Calls, errors, tokens, cost and latency per UTC hour',
			},
			{ name: 'One Key', value: 'key', description: 'One key per UTC day' },
			{ name: 'One Route', value: 'route', description: 'One route per UTC day' },
			{
				name: 'Overview',
				value: 'overview',
				description: 'Calls, errors, average latency, success rate, tokens, cost',
			},
			{ name: 'Top Keys', value: 'topKeys', description: 'Keys by cost, then calls' },
			{ name: 'Top Routes', value: 'topRoutes', description: 'Routes by calls' },
		],
		default: 'overview',
		displayOptions: here,
	},
	{
		displayName: 'Start Time',
		name: 'startTime',
		type: 'dateTime',
		default: '={{ $now.minus({ days: 1 }).toISO() }}',
		required: true,
		displayOptions: here,
	},
	{
		displayName: 'End Time',
		name: 'endTime',
		type: 'dateTime',
		default: '={{ $now.toISO() }}',
		description: 'Overview and Hourly count whole UTC hours, the others whole UTC days',
		displayOptions: here,
	},
	{
		displayName: 'Key',
		name: 'key',
		type: 'string',
		default: '',
		required: true,
		description: 'The key hash or key ID',
		displayOptions: forStats(['key']),
	},
	{
		displayName: 'Route',
		name: 'route',
		type: 'string',
		default: '',
		required: true,
		placeholder: '/v1/chat/completions',
		displayOptions: forStats(['route']),
	},
	{
		displayName: 'Limit',
		name: 'limit',
		type: 'number',
		default: 50,
		typeOptions: { minValue: 1 },
		description: 'Max number of results to return',
		displayOptions: forStats(['topKeys', 'topRoutes']),
	},
];

function required(this: IExecuteFunctions, name: string, label: string, i: number): string {
	const value = String(this.getNodeParameter(name, i, '') ?? '').trim();
	if (!value)
		throw new NodeOperationError(this.getNode(), `"${label}" is required (item ${i})`, {
			itemIndex: i,
		});
	return value;
}

interface StatsRequest {
	kind: StatsKind;
	range: { start: Date; end: Date };
	extra?: string | number;
}

/** One output item per row of the statistic, for each input item's request. */
export const getStats: Operation<StatsRequest> = {
	option: {
		name: 'Get Stats',
		value: 'getStats',
		action: 'Get usage statistics',
		description: 'Overview, hourly series, top keys and routes, one key or route, for a time range',
	},
	description,
	check(i) {
		const kind = this.getNodeParameter('statistic', i) as StatsKind;
		if (!STATS.includes(kind)) {
			throw new NodeOperationError(
				this.getNode(),
				`"Statistic" must be one of ${STATS.join(', ')}, got "${kind}"`,
				{ itemIndex: i },
			);
		}
		const { start, end } = timeRange.call(this, i);
		const range = {
			start: new Date(start * 1000),
			end: new Date((end ?? Date.now() / 1000) * 1000),
		};
		const extra =
			kind === 'key'
				? required.call(this, 'key', 'Key', i)
				: kind === 'route'
					? required.call(this, 'route', 'Route', i)
					: kind === 'topKeys' || kind === 'topRoutes'
						? (this.getNodeParameter('limit', i, 50) as number)
						: undefined;
		return { kind, range, extra };
	},

	async write(checked, results) {
		await withPostgres.call(this, async (client) => {
			for (const { item, input } of checked) {
				try {
					const rows = await readStats(client, input.kind, input.range, input.extra);
					for (const row of rows) {
						results.emit(0, {
							json: { statistic: input.kind, ...(row as IDataObject) },
							pairedItem: { item },
						});
					}
				} catch (error) {
					results.fail(error, item);
				}
			}
		});
	},
};
