import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { csvList, readLimit, returnAllOrLimit, timeRange } from '../../../shared/fields';
import { idListOption, show } from '../common';
import { readReport } from '../report';

const USAGE_TYPES: Record<string, { name: string; groupBy: string[] }> = {
	audio_speeches: {
		name: 'Audio Speeches',
		groupBy: ['project_id', 'user_id', 'api_key_id', 'model'],
	},
	audio_transcriptions: {
		name: 'Audio Transcriptions',
		groupBy: ['project_id', 'user_id', 'api_key_id', 'model'],
	},
	code_interpreter_sessions: { name: 'Code Interpreter Sessions', groupBy: ['project_id'] },
	completions: {
		name: 'Completions',
		groupBy: ['project_id', 'user_id', 'api_key_id', 'model', 'batch', 'service_tier'],
	},
	embeddings: { name: 'Embeddings', groupBy: ['project_id', 'user_id', 'api_key_id', 'model'] },
	images: {
		name: 'Images',
		groupBy: ['project_id', 'user_id', 'api_key_id', 'model', 'size', 'source'],
	},
	moderations: { name: 'Moderations', groupBy: ['project_id', 'user_id', 'api_key_id', 'model'] },
	vector_stores: { name: 'Vector Stores', groupBy: ['project_id'] },
};

/** OpenAI's largest page of buckets for each bucket width. */
const BUCKETS_PER_PAGE: Record<string, number> = { '1m': 1440, '1h': 168, '1d': 31 };

const GROUP_BY_LABELS: Record<string, string> = {
	api_key_id: 'API Key',
	batch: 'Batch',
	model: 'Model',
	project_id: 'Project',
	service_tier: 'Service Tier',
	size: 'Image Size',
	source: 'Image Source',
	user_id: 'User',
};

export const description: INodeProperties[] = [
	{
		displayName: 'Usage Type',
		name: 'usageType',
		type: 'options',
		options: Object.entries(USAGE_TYPES).map(([value, { name }]) => ({ name, value })),
		default: 'completions',
		displayOptions: show('usage', 'get'),
	},
	{
		displayName: 'Start Time',
		name: 'startTime',
		type: 'dateTime',
		required: true,
		default: '',
		description: 'Start of the period (inclusive)',
		displayOptions: show('usage', 'get'),
	},
	{
		displayName: 'End Time',
		name: 'endTime',
		type: 'dateTime',
		default: '',
		description: 'End of the period (exclusive). Leave empty for now.',
		displayOptions: show('usage', 'get'),
	},
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
		displayOptions: show('usage', 'get'),
	},
	{
		displayName: 'Group By',
		name: 'groupBy',
		type: 'multiOptions',
		options: Object.entries(GROUP_BY_LABELS).map(([value, name]) => ({ name, value })),
		default: [],
		description:
			'Split each bucket by these fields. Vector stores and code interpreter sessions group by project only; batch and service tier apply to completions; size and source to images.',
		displayOptions: show('usage', 'get'),
	},
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		displayOptions: show('usage', 'get'),
		options: [
			idListOption('keyIds', 'API Key IDs', 'API key IDs'),
			idListOption('models', 'Models', 'model names'),
			idListOption('projectIds', 'Project IDs', 'project IDs'),
			idListOption('userIds', 'User IDs', 'user IDs'),
		],
	},
	...returnAllOrLimit('usage', 'get'),
];

export async function execute(this: IExecuteFunctions, i: number): Promise<IDataObject[]> {
	const usageType = this.getNodeParameter('usageType', i) as string;
	const type = USAGE_TYPES[usageType];
	if (!type) {
		throw new NodeOperationError(
			this.getNode(),
			`"Usage Type" "${usageType}" is not known (item ${i})`,
			{
				itemIndex: i,
				description: `Expected one of: ${Object.keys(USAGE_TYPES).join(', ')}`,
			},
		);
	}
	const bucketWidth = this.getNodeParameter('bucketWidth', i) as string;
	if (!(bucketWidth in BUCKETS_PER_PAGE)) {
		throw new NodeOperationError(
			this.getNode(),
			`"Bucket Width" must be 1m, 1h or 1d, got "${bucketWidth}" (item ${i})`,
			{
				itemIndex: i,
			},
		);
	}
	const groupBy = this.getNodeParameter('groupBy', i, []) as string[];
	const unsupported = groupBy.filter((field) => !type.groupBy.includes(field));
	if (unsupported.length) {
		throw new NodeOperationError(
			this.getNode(),
			`"Group By" ${unsupported.join(', ')} is not available for ${type.name} usage (item ${i})`,
			{
				itemIndex: i,
				description: `${type.name} usage can be grouped by: ${type.groupBy.join(', ')}`,
			},
		);
	}
	const { start, end } = timeRange.call(this, i);
	const filters = this.getNodeParameter('filters', i, {}) as IDataObject;
	return await readReport.call(
		this,
		`/organization/usage/${usageType}`,
		{
			start_time: start,
			end_time: end,
			bucket_width: bucketWidth,
			group_by: groupBy,
			project_ids: csvList(filters.projectIds),
			user_ids: csvList(filters.userIds),
			api_key_ids: csvList(filters.keyIds),
			models: csvList(filters.models),
		},
		BUCKETS_PER_PAGE[bucketWidth],
		i,
		readLimit.call(this, i),
	);
}
