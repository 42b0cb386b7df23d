import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { csvList, readLimit, returnAllOrLimit, timeRange } from '../../../../common/fields';
import { idListOption } from '../common';
import { readCosts } from './costRows';

const GROUP_BY = ['project_id', 'line_item', 'api_key_id'];

export const description: INodeProperties[] = [
	{
		displayName: 'Start Time',
		name: 'startTime',
		type: 'dateTime',
		required: true,
		default: '',
		description: 'Start of the period (inclusive). Costs come in daily (UTC) buckets.',
	},
	{
		displayName: 'End Time',
		name: 'endTime',
		type: 'dateTime',
		default: '',
		description: 'End of the period (exclusive). Leave empty for now.',
	},
	{
		displayName: 'Group By',
		name: 'groupBy',
		type: 'multiOptions',
		options: [
			{ name: 'API Key', value: 'api_key_id' },
			{ name: 'Line Item', value: 'line_item' },
			{ name: 'Project', value: 'project_id' },
		],
		default: ['project_id', 'line_item'],
	},
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		options: [
			idListOption('keyIds', 'API Key IDs', 'API key IDs'),
			idListOption('projectIds', 'Project IDs', 'project IDs'),
		],
	},
	...returnAllOrLimit('cost', 'get'),
];

export async function execute(this: IExecuteFunctions, i: number): Promise<IDataObject[]> {
	const { start, end } = timeRange.call(this, i);
	const groupBy = this.getNodeParameter('groupBy', i, []) as string[];
	const unknown = groupBy.filter((field) => !GROUP_BY.includes(field));
	if (unknown.length) {
		throw new NodeOperationError(
			this.getNode(),
			`"Group By" ${unknown.join(', ')} is not available for costs (item ${i})`,
			{
				itemIndex: i,
				description: `Costs can be grouped by: ${GROUP_BY.join(', ')}`,
			},
		);
	}
	const filters = this.getNodeParameter('filters', i, {}) as IDataObject;
	return await readCosts.call(
		this,
		{
			start_time: start,
			end_time: end,
			bucket_width: '1d',
			group_by: groupBy,
			project_ids: csvList(filters.projectIds),
			api_key_ids: csvList(filters.keyIds),
		},
		i,
		readLimit.call(this, i),
	);
}
