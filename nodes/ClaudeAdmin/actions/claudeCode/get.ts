import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { addDecimals, shiftDecimal, toDecimal } from '../../../shared/core/money';
import { readLimit, returnAllOrLimit } from '../../../shared/fields';
import { listAll } from '../../../shared/transport/paginate';
import { anthropicApi, reportPages } from '../../api';
import { show } from '../common';

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
		displayOptions: show('claudeCode', 'get'),
	},
	{
		displayName: 'Ending At',
		name: 'endingDate',
		type: 'string',
		default: '',
		placeholder: '2026-11-25',
		description: 'Day after the last one, YYYY-MM-DD; empty for the starting day only',
		displayOptions: show('claudeCode', 'get'),
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

/** Claude Code usage per user and day, with each record's estimated cost summed in USD. */
export async function execute(this: IExecuteFunctions, i: number): Promise<IDataObject[]> {
	const records = await listAll.call(
		this,
		anthropicApi,
		{
			method: 'GET',
			path: '/organizations/usage_report/claude_code',
			query: {
				starting_at: day.call(this, 'startingDate', 'Starting At', i, true),
				ending_at: day.call(this, 'endingDate', 'Ending At', i, false),
			},
			itemIndex: i,
		},
		reportPages(1000),
		{ limit: readLimit.call(this, i) },
	);
	return records.map((record) => {
		const breakdown = (record.model_breakdown as IDataObject[] | undefined) ?? [];
		const cents = breakdown.map((model) => {
			const amount = (model.estimated_cost as IDataObject | undefined)?.amount;
			return amount === undefined || amount === null ? '0' : toDecimal(amount as string | number);
		});
		return { ...record, estimated_cost_usd: shiftDecimal(addDecimals('0', ...cents), -2) };
	});
}
