import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { listAll } from '../../../../transport/paginate';
import { anthropicApi } from '../../api';
import { readScope, scopeFields, SPEND_LIMIT_READS_BETA, withUsd } from './common';

export const description: INodeProperties[] = scopeFields('getForScope');

/**
 * The limit of one scope and period, or `exists: false` when there is none: always one item per
 * input, so a workflow can compare and push for each scope it mirrors.
 */
export async function execute(this: IExecuteFunctions, i: number): Promise<IDataObject> {
	const { scope: wanted, period } = readScope.call(this, i);
	const limits = await listAll.call(
		this,
		anthropicApi,
		{
			method: 'GET',
			path: '/organizations/spend_limits',
			query: {
				scope_type: [String(wanted.type)],
				workspace_id: wanted.workspace_id as string | undefined,
			},
			headers: { 'anthropic-beta': SPEND_LIMIT_READS_BETA },
			itemIndex: i,
		},
		{ style: 'page', pageParam: 'page', limitParam: 'limit', pageSize: 1000 },
	);
	// The limit whose scope is this one (same type, workspace or user) and whose period is this one.
	const found = limits.find((limit) => {
		const scope = (limit.scope as IDataObject | undefined) ?? {};
		return (
			limit.period === period &&
			Object.entries(wanted).every(([name, value]) => scope[name] === value)
		);
	});
	if (found) return { exists: true, ...withUsd(found) };
	return {
		exists: false,
		type: 'spend_limit',
		id: null,
		amount: null,
		amount_usd: null,
		period,
		scope: wanted,
	};
}
