import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { totalCosts } from '../../../../core/costSummary';
import { addDecimals } from '../../../../common/money';
import { startOfUtcMonth, utcDate } from '../../../../common/time';
import { dateSeconds } from '../../../../common/fields';
import { listAll } from '../../../../transport/paginate';
import { anthropicApi, listPages } from '../../api';
import { withWorkspace } from '../apiKey/common';
import { dayAligned } from '../reportFields';
import { readCosts } from './costRows';

/** Costs Anthropic attributes to no workspace belong to the organization's Default Workspace. */
const DEFAULT_WORKSPACE = 'default';

export const description: INodeProperties[] = [
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'As Of',
				name: 'asOf',
				type: 'dateTime',
				default: '',
				description: 'Summarize the month containing this instant, up to it. Leave empty for now.',
			},
			{
				displayName: 'Count Keys per Workspace',
				name: 'countKeys',
				type: 'boolean',
				default: true,
				description: 'Whether to count the active API keys of each workspace',
			},
		],
	},
];

/**
 * Month-to-date and today's cost per workspace plus the organization's totals, shaped like the
 * OpenAI Admin node's cost summary. All sums are exact decimals in USD.
 */
export async function execute(this: IExecuteFunctions, i: number): Promise<IDataObject> {
	const options = this.getNodeParameter('options', i, {}) as IDataObject;
	const asOfSeconds = options.asOf ? dateSeconds.call(this, 'options.asOf', 'As Of', i) : undefined;
	const nowMs = asOfSeconds !== undefined ? asOfSeconds * 1000 : Date.now();
	const monthStartMs = startOfUtcMonth(nowMs);
	const today = utcDate(nowMs);

	const rows = await readCosts.call(
		this,
		{
			// Whole days: the report drops buckets ending after ending_at, so it is the next midnight.
			...dayAligned(monthStartMs, nowMs),
			group_by: ['workspace_id'],
		},
		i,
		undefined,
	);
	const totals = totalCosts(
		rows.map((row) => ({
			date: row.cost_date,
			amount: row.amount,
			groupId: row.workspace_id ?? DEFAULT_WORKSPACE,
		})),
		today,
	);

	const workspaces = await listAll.call(
		this,
		anthropicApi,
		{
			method: 'GET',
			path: '/organizations/workspaces',
			query: { include_archived: 'true' },
			itemIndex: i,
		},
		listPages,
	);
	const names = new Map<string, string>([[DEFAULT_WORKSPACE, 'Default Workspace']]);
	for (const workspace of workspaces) names.set(String(workspace.id), String(workspace.name ?? ''));
	const ids = new Set<string>([
		DEFAULT_WORKSPACE,
		...workspaces
			.filter((workspace) => !workspace.archived_at)
			.map((workspace) => String(workspace.id)),
		...totals.groups.keys(),
	]);

	let keyCounts: Map<string, number> | undefined;
	if (options.countKeys !== false) {
		const keys = await listAll.call(
			this,
			anthropicApi,
			{ method: 'GET', path: '/organizations/api_keys', query: { status: 'active' }, itemIndex: i },
			listPages,
		);
		keyCounts = new Map();
		for (const key of keys) {
			const id = (withWorkspace(key).workspace_id as string | null) ?? DEFAULT_WORKSPACE;
			keyCounts.set(id, (keyCounts.get(id) ?? 0) + 1);
		}
	}

	const summaries = [...ids].sort().map((id) => {
		const costs = totals.groups.get(id) ?? { period: '0', today: '0' };
		return {
			workspace_id: id === DEFAULT_WORKSPACE ? null : id,
			name: names.get(id) ?? null,
			month_cost: costs.period,
			today_cost: costs.today,
			keys_in_workspace: keyCounts ? (keyCounts.get(id) ?? 0) : null,
		};
	});

	return {
		total_cost_usd: totals.total,
		month_cost_usd: addDecimals('0', ...summaries.map((summary) => summary.month_cost)),
		today_cost_usd: totals.today,
		month_start: new Date(monthStartMs).toISOString(),
		// A day not yet over is an open bucket at Anthropic: its cost grows until midnight UTC.
		open_day: utcDate(Date.now()) <= today ? today : null,
		workspaces: summaries,
		synced_at: new Date().toISOString(),
	};
}
