import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { parameterText, show } from '../../../../common/fields';
import { listAll } from '../../../../transport/paginate';
import { segment } from '../../../../transport/provider';
import { anthropicApi } from '../../api';
import { workspaceId, workspaceIdField } from '../common';

const here = show('rateLimit', 'getAll');

export const description: INodeProperties[] = [
	{
		displayName: 'Level',
		name: 'level',
		type: 'options',
		options: [
			{ name: 'Organization', value: 'organization', description: 'The limits in force' },
			{
				name: 'Workspace',
				value: 'workspace',
				description:
					'Only the workspace’s overrides, each beside the organization’s value; anything absent is inherited',
			},
		],
		default: 'organization',
		displayOptions: here,
	},
	{
		...workspaceIdField('rateLimit', 'getAll'),
		displayOptions: { show: { ...here.show, level: ['workspace'] } },
	},
	{
		displayName: 'Group Type',
		name: 'groupType',
		type: 'options',
		options: [
			{ name: 'All', value: '' },
			{ name: 'Batch', value: 'batch' },
			{ name: 'Files', value: 'files' },
			{ name: 'Model Group', value: 'model_group' },
			{ name: 'Skills', value: 'skills' },
			{ name: 'Token Count', value: 'token_count' },
			{ name: 'Web Search', value: 'web_search' },
		],
		default: '',
		displayOptions: here,
	},
	{
		displayName: 'Model',
		name: 'model',
		type: 'string',
		default: '',
		placeholder: 'claude-opus-4-8',
		description:
			'Only the group this model ID or alias counts against (organization level); Anthropic answers 404 for a model in no group',
		displayOptions: { show: { ...here.show, level: ['organization'] } },
	},
];

/**
 * One item per rate limit group: its models and `limits` ({ type, value }, and for a workspace
 * the organization's `org_limit`), with `limits_by_type` for expressions
 * (`$json.rateLimit.limits_by_type.requests_per_minute`). Read-only: limits are set in the Console.
 */
export async function execute(this: IExecuteFunctions, i: number): Promise<IDataObject[]> {
	const level = String(this.getNodeParameter('level', i, 'organization'));
	const groupType = String(this.getNodeParameter('groupType', i, '') ?? '') || undefined;
	const path =
		level === 'workspace'
			? `/organizations/workspaces/${segment(workspaceId.call(this, 'workspaceId', i) ?? '')}/rate_limits`
			: '/organizations/rate_limits';
	const model =
		level === 'workspace' ? undefined : parameterText.call(this, 'model', i) || undefined;
	const groups = await listAll.call(
		this,
		anthropicApi,
		{ method: 'GET', path, query: { group_type: groupType, model }, itemIndex: i },
		{ style: 'page', pageParam: 'page' },
	);
	return groups.map((group) => ({
		...group,
		limits_by_type: Object.fromEntries(
			((group.limits as IDataObject[] | undefined) ?? []).map((limit) => [
				String(limit.type),
				limit.value,
			]),
		),
	}));
}
