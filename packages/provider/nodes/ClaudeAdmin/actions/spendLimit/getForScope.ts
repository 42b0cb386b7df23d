import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { parameterText, show } from '../../../../common/fields';
import { listAll } from '../../../../transport/paginate';
import { anthropicApi } from '../../api';
import { workspaceId, workspaceIdField } from '../common';
import { SPEND_LIMIT_READS_BETA, withUsd } from './common';

const only = (scope: string) => ({
	show: { resource: ['spendLimit'], operation: ['getForScope'], scope: [scope] },
});

export const description: INodeProperties[] = [
	{
		displayName: 'Scope',
		name: 'scope',
		type: 'options',
		options: [
			{ name: 'Organization', value: 'organization' },
			{ name: 'User', value: 'user' },
			{ name: 'Workspace', value: 'workspace' },
		],
		default: 'workspace',
		displayOptions: show('spendLimit', 'getForScope'),
	},
	{ ...workspaceIdField('spendLimit', 'getForScope'), displayOptions: only('workspace') },
	{
		displayName: 'User ID',
		name: 'userId',
		type: 'string',
		default: '',
		placeholder: 'user_01WCz1FkmYMm4gnmykNKUu3Q',
		displayOptions: only('user'),
	},
	{
		displayName: 'Period',
		name: 'period',
		type: 'options',
		options: [
			{ name: 'Daily', value: 'daily' },
			{ name: 'Monthly', value: 'monthly' },
			{ name: 'Weekly', value: 'weekly' },
		],
		default: 'monthly',
		displayOptions: show('spendLimit', 'getForScope'),
	},
];

/**
 * The limit of one scope and period, or `exists: false` when there is none: always one item per
 * input, so a workflow can compare and push for each scope it mirrors.
 */
export async function execute(this: IExecuteFunctions, i: number): Promise<IDataObject> {
	const type = String(this.getNodeParameter('scope', i));
	const period = String(this.getNodeParameter('period', i));
	const workspace = type === 'workspace' ? workspaceId.call(this, 'workspaceId', i) : undefined;
	const user = type === 'user' ? parameterText.call(this, 'userId', i) : undefined;
	if (type === 'user' && !/^user_[A-Za-z0-9]+$/.test(user ?? '')) {
		throw new NodeOperationError(
			this.getNode(),
			`"User ID" must look like user_01WCz1FkmYMm4gnmykNKUu3Q, got "${user ?? ''}" (item ${i})`,
			{ itemIndex: i },
		);
	}
	const limits = await listAll.call(
		this,
		anthropicApi,
		{
			method: 'GET',
			path: '/organizations/spend_limits',
			query: { scope_type: [type], workspace_id: workspace },
			headers: { 'anthropic-beta': SPEND_LIMIT_READS_BETA },
			itemIndex: i,
		},
		{ style: 'page', pageParam: 'page', limitParam: 'limit', pageSize: 1000 },
	);
	const scope = (limit: IDataObject) => (limit.scope as IDataObject | undefined) ?? {};
	const found = limits.find(
		(limit) =>
			limit.period === period &&
			scope(limit).type === type &&
			(workspace === undefined || scope(limit).workspace_id === workspace) &&
			(user === undefined || scope(limit).user_id === user),
	);
	if (found) return { exists: true, ...withUsd(found) };
	return {
		exists: false,
		type: 'spend_limit',
		id: null,
		amount: null,
		amount_usd: null,
		period,
		scope: {
			type,
			...(workspace ? { workspace_id: workspace } : {}),
			...(user ? { user_id: user } : {}),
		},
	};
}
