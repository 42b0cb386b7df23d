import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { csvList, readLimit, returnAllOrLimit, timeRange } from '../../../../common/fields';
import { idListOption } from '../common';
import type { Query } from '../../../../transport/provider';
import { readReport } from '../report';

const PER_USER = ['project_id', 'user_id', 'api_key_id', 'model'];
const ID_FILTERS = ['projectIds', 'userIds', 'keyIds', 'models'];

/**
 * Each usage endpoint of the official definition (GET /organization/usage/<type>), with the
 * group-by values and filters it accepts: the node sends no other.
 */
export const USAGE_TYPES: Record<string, { name: string; groupBy: string[]; filters: string[] }> = {
	audio_speeches: { name: 'Audio Speeches', groupBy: PER_USER, filters: ID_FILTERS },
	audio_transcriptions: { name: 'Audio Transcriptions', groupBy: PER_USER, filters: ID_FILTERS },
	code_interpreter_sessions: {
		name: 'Code Interpreter Sessions',
		groupBy: ['project_id'],
		filters: ['projectIds'],
	},
	completions: {
		name: 'Completions',
		groupBy: [...PER_USER, 'batch', 'service_tier'],
		filters: [...ID_FILTERS, 'batch'],
	},
	embeddings: { name: 'Embeddings', groupBy: PER_USER, filters: ID_FILTERS },
	file_search_calls: {
		name: 'File Search Calls',
		groupBy: ['project_id', 'user_id', 'api_key_id', 'vector_store_id'],
		filters: ['projectIds', 'userIds', 'keyIds', 'vectorStoreIds'],
	},
	images: {
		name: 'Images',
		groupBy: [...PER_USER, 'size', 'source'],
		filters: [...ID_FILTERS, 'sizes', 'sources'],
	},
	moderations: { name: 'Moderations', groupBy: PER_USER, filters: ID_FILTERS },
	vector_stores: { name: 'Vector Stores', groupBy: ['project_id'], filters: ['projectIds'] },
	web_search_calls: {
		name: 'Web Search Calls',
		groupBy: [...PER_USER, 'context_level'],
		filters: [...ID_FILTERS, 'contextLevels'],
	},
};

/** Filter option → query parameter and label. */
const FILTERS: Record<string, { query: string; label: string }> = {
	projectIds: { query: 'project_ids', label: 'Project IDs' },
	userIds: { query: 'user_ids', label: 'User IDs' },
	keyIds: { query: 'api_key_ids', label: 'API Key IDs' },
	models: { query: 'models', label: 'Models' },
	vectorStoreIds: { query: 'vector_store_ids', label: 'Vector Store IDs' },
	sizes: { query: 'sizes', label: 'Image Sizes' },
	sources: { query: 'sources', label: 'Image Sources' },
	contextLevels: { query: 'context_levels', label: 'Context Levels' },
	batch: { query: 'batch', label: 'Batch' },
};

/** Shows a filter only for the usage types whose endpoint has it. */
function forTypesWith(filter: string) {
	const types = Object.entries(USAGE_TYPES)
		.filter(([, type]) => type.filters.includes(filter))
		.map(([value]) => value);
	return { show: { '/usageType': types } };
}

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
	vector_store_id: 'Vector Store',
	context_level: 'Web Search Context Level',
};

export const description: INodeProperties[] = [
	{
		displayName: 'Usage Type',
		name: 'usageType',
		type: 'options',
		options: Object.entries(USAGE_TYPES).map(([value, { name }]) => ({ name, value })),
		default: 'completions',
	},
	{
		displayName: 'Start Time',
		name: 'startTime',
		type: 'dateTime',
		required: true,
		default: '',
		description: 'Start of the period (inclusive)',
	},
	{
		displayName: 'End Time',
		name: 'endTime',
		type: 'dateTime',
		default: '',
		description: 'End of the period (exclusive). Leave empty for now.',
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
	},
	{
		displayName: 'Group By',
		name: 'groupBy',
		type: 'multiOptions',
		options: Object.entries(GROUP_BY_LABELS).map(([value, name]) => ({ name, value })),
		default: [],
		description:
			'Split each bucket by these fields. Vector stores and code interpreter sessions group by project only; batch and service tier apply to completions; size and source to images; vector store to file search calls; context level to web search calls.',
	},
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		options: [
			{
				...idListOption('keyIds', 'API Key IDs', 'API key IDs'),
				displayOptions: forTypesWith('keyIds'),
			},
			{
				displayName: 'Batch',
				name: 'batch',
				type: 'boolean',
				default: false,
				description: 'Whether to count only Batch API requests (on) or only other requests (off)',
				displayOptions: forTypesWith('batch'),
			},
			{
				displayName: 'Context Levels',
				name: 'contextLevels',
				type: 'multiOptions',
				options: [
					{ name: 'Low', value: 'low' },
					{ name: 'Medium', value: 'medium' },
					{ name: 'High', value: 'high' },
				],
				default: [],
				displayOptions: forTypesWith('contextLevels'),
			},
			{
				displayName: 'Image Sizes',
				name: 'sizes',
				type: 'multiOptions',
				options: ['256x256', '512x512', '1024x1024', '1792x1792', '1024x1792'].map((size) => ({
					name: size,
					value: size,
				})),
				default: [],
				displayOptions: forTypesWith('sizes'),
			},
			{
				displayName: 'Image Sources',
				name: 'sources',
				type: 'multiOptions',
				options: [
					{ name: 'Generation', value: 'image.generation' },
					{ name: 'Edit', value: 'image.edit' },
					{ name: 'Variation', value: 'image.variation' },
				],
				default: [],
				displayOptions: forTypesWith('sources'),
			},
			{
				...idListOption('models', 'Models', 'model names'),
				displayOptions: forTypesWith('models'),
			},
			{
				...idListOption('projectIds', 'Project IDs', 'project IDs'),
				displayOptions: forTypesWith('projectIds'),
			},
			{
				...idListOption('userIds', 'User IDs', 'user IDs'),
				displayOptions: forTypesWith('userIds'),
			},
			{
				...idListOption('vectorStoreIds', 'Vector Store IDs', 'vector store IDs'),
				displayOptions: forTypesWith('vectorStoreIds'),
			},
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
	const query: Query = {
		start_time: start,
		end_time: end,
		bucket_width: bucketWidth,
		group_by: groupBy,
	};
	const filters = this.getNodeParameter('filters', i, {}) as IDataObject;
	for (const [name, value] of Object.entries(filters)) {
		const filter = FILTERS[name];
		if (!filter) continue;
		const set = Array.isArray(value)
			? value.length > 0
			: typeof value === 'boolean' || csvList(value).length > 0;
		if (!set) continue;
		if (!type.filters.includes(name)) {
			throw new NodeOperationError(
				this.getNode(),
				`The filter "${filter.label}" is not available for ${type.name} usage (item ${i})`,
				{
					itemIndex: i,
					description: `${type.name} usage can be filtered by: ${type.filters.map((f) => FILTERS[f].label).join(', ')}`,
				},
			);
		}
		query[filter.query] =
			typeof value === 'boolean'
				? value
				: Array.isArray(value)
					? (value as string[])
					: csvList(value);
	}
	return await readReport.call(
		this,
		`/organization/usage/${usageType}`,
		query,
		BUCKETS_PER_PAGE[bucketWidth],
		i,
		readLimit.call(this, i),
	);
}
