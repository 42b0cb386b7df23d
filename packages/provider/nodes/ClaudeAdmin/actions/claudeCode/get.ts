import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { addDecimals, shiftDecimal, toDecimal } from '../../../../common/money';
import { readLimit, returnAllOrLimit } from '../../../../common/fields';
import { listAll } from '../../../../transport/paginate';
import { anthropicApi, reportPages } from '../../api';

const DAY = /^\d{4}-\d{2}-\d{2}$/;

export const description: INodeProperties[] = [
	{
		displayName: 'Starting At',
		name: 'startingDate',
		type: 'string',
		required: true,
		default: '',
		placeholder: '2026-11-01',
		description: 'First UTC day, YYYY-MM-DD',
	},
	{
		displayName: 'Ending At',
		name: 'endingDate',
		type: 'string',
		default: '',
		placeholder: '2026-11-25',
		description:
			'Day after the last one, YYYY-MM-DD; empty for the starting day only. The API reports one day per request, so each day of the range is read in turn.',
	},
	...returnAllOrLimit('claudeCode', 'get'),
];

function day(
	this: IExecuteFunctions,
	name: string,
	label: string,
	i: number,
	required: boolean,
): string | undefined {
	const value = String(this.getNodeParameter(name, i, '') ?? '').trim();
	if (!value && !required) return undefined;
	if (!DAY.test(value) || Number.isNaN(Date.parse(`${value}T00:00:00Z`))) {
		throw new NodeOperationError(
			this.getNode(),
			`"${label}" must be a day written YYYY-MM-DD, got "${value}" (item ${i})`,
			{ itemIndex: i },
		);
	}
	return value;
}

/** The longest range read in one go: one request (or more, when paging) per day. */
const MAX_DAYS = 366;
const DAY_MS = 86_400_000;

/**
 * Claude Code usage per user and day, with each record's estimated cost summed in USD. The
 * endpoint takes a single day (`starting_at`, no `ending_at`), so a range is read day by day.
 */
export async function execute(this: IExecuteFunctions, i: number): Promise<IDataObject[]> {
	const first = day.call(this, 'startingDate', 'Starting At', i, true) as string;
	const after = day.call(this, 'endingDate', 'Ending At', i, false);
	const firstMs = Date.parse(`${first}T00:00:00Z`);
	const endMs = after ? Date.parse(`${after}T00:00:00Z`) : firstMs + DAY_MS;
	const days = Math.round((endMs - firstMs) / DAY_MS);
	if (days < 1 || days > MAX_DAYS) {
		throw new NodeOperationError(
			this.getNode(),
			`"Ending At" must be 1 to ${MAX_DAYS} days after "Starting At", got ${after} for ${first} (item ${i})`,
			{ itemIndex: i },
		);
	}
	const limit = readLimit.call(this, i);
	const records: IDataObject[] = [];
	for (let d = 0; d < days && (limit === undefined || records.length < limit); d++) {
		const startingAt = new Date(firstMs + d * DAY_MS).toISOString().slice(0, 10);
		records.push(
			...(await listAll.call(
				this,
				anthropicApi,
				{
					method: 'GET',
					path: '/organizations/usage_report/claude_code',
					query: { starting_at: startingAt },
					itemIndex: i,
				},
				reportPages(1000),
				{ limit: limit === undefined ? undefined : limit - records.length },
			)),
		);
	}
	return records.map((record) => {
		const breakdown = (record.model_breakdown as IDataObject[] | undefined) ?? [];
		const cents = breakdown.map((model) => {
			const amount = (model.estimated_cost as IDataObject | undefined)?.amount;
			return amount === undefined || amount === null ? '0' : toDecimal(amount as string | number);
		});
		return { ...record, estimated_cost_usd: shiftDecimal(addDecimals('0', ...cents), -2) };
	});
}
