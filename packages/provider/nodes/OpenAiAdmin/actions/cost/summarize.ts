import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { totalCosts } from '../../../../core/costSummary';
import { addDecimals } from '../../../../common/money';
import { startOfUtcMonth, toUnixSeconds, utcDate } from '../../../../common/time';
import { dateSeconds } from '../../../../common/fields';
import { listAll } from '../../../../transport/paginate';
import { segment } from '../../../../transport/provider';
import { listPages, openAiApi } from '../../api';
import { readCosts } from './costRows';

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
				displayName: 'Count Keys per Project',
				name: 'countKeys',
				type: 'boolean',
				default: true,
				description: "Whether to count each project's API keys (one extra request per project)",
			},
		],
	},
];

/**
 * Month-to-date and today's cost per project plus the organization totals. All sums are exact
 * decimals. `total_cost_usd` is the organization's month-to-date total including costs that
 * OpenAI attributes to no project; `month_cost_usd` is the part attributed to projects.
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
			start_time: toUnixSeconds(monthStartMs),
			end_time: Math.floor(nowMs / 1000) + 1,
			bucket_width: '1d',
			group_by: ['project_id'],
		},
		i,
		undefined,
	);
	const totals = totalCosts(
		rows.map((row) => ({ date: row.cost_date, amount: row.amount, groupId: row.project_id })),
		today,
	);

	const projects = await listAll.call(
		this,
		openAiApi,
		{
			method: 'GET',
			path: '/organization/projects',
			query: { include_archived: 'true' },
			itemIndex: i,
		},
		listPages,
	);
	const names = new Map(
		projects.map((project) => [String(project.id), String(project.name ?? '')]),
	);
	const projectIds = new Set<string>([
		...projects
			.filter((project) => project.status !== 'archived')
			.map((project) => String(project.id)),
		...totals.groups.keys(),
	]);

	const countKeys = options.countKeys !== false;
	const summaries: IDataObject[] = [];
	for (const projectId of [...projectIds].sort()) {
		const costs = totals.groups.get(projectId) ?? { period: '0', today: '0' };
		let keys: number | null = null;
		if (countKeys) {
			const list = await listAll.call(
				this,
				openAiApi,
				{
					method: 'GET',
					path: `/organization/projects/${segment(projectId)}/api_keys`,
					// Without it the API applies membership rules that can leave enabled keys out.
					query: { owner_project_access: 'any' },
					itemIndex: i,
				},
				listPages,
			);
			keys = list.length;
		}
		summaries.push({
			project_id: projectId,
			project_name: names.get(projectId) ?? null,
			month_cost: costs.period,
			today_cost: costs.today,
			keys_in_project: keys,
		});
	}

	return {
		total_cost_usd: totals.total,
		month_cost_usd: addDecimals('0', ...summaries.map((summary) => summary.month_cost as string)),
		today_cost_usd: totals.today,
		month_start: new Date(monthStartMs).toISOString(),
		projects: summaries,
		synced_at: new Date().toISOString(),
	};
}
