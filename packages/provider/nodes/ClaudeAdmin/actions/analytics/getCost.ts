import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { shiftDecimal, toDecimal } from '../../../../common/money';
import { analyticsFields, DIMENSIONS, readAnalytics } from './fields';

export const description: INodeProperties[] = analyticsFields(
	'getCost',
	[
		...DIMENSIONS,
		{ name: 'Cost Type', value: 'cost_type' },
		{ name: 'Token Type', value: 'token_type' },
	].sort((a, b) => a.name.localeCompare(b.name)),
);

/**
 * Billed cost by the chosen dimensions (by API key: what each key was billed), one item per row.
 * Anthropic reports amounts in fractional cents as decimal strings; the item carries them in USD,
 * exactly (`amount`: after discounts, before credits; `list_amount`: before discounts).
 */
export async function execute(this: IExecuteFunctions, i: number): Promise<IDataObject[]> {
	const rows = await readAnalytics.call(this, '/organizations/analytics/cost', i);
	return rows.map((row) => {
		const { cost, ...rest } = row;
		const metrics = (cost as IDataObject | undefined) ?? {};
		const usd = (field: 'amount' | 'list_amount') => {
			const value = metrics[field];
			if (value === null || value === undefined) return null;
			try {
				if (typeof value !== 'string' && typeof value !== 'number')
					throw new Error('not a decimal');
				return shiftDecimal(toDecimal(value), -2);
			} catch {
				throw new NodeOperationError(
					this.getNode(),
					`Anthropic returned a cost ${field} that is not a decimal number (item ${i})`,
					{
						itemIndex: i,
						description: `${field} ${JSON.stringify(value)} in the row starting ${String(row.starting_at)} is not a decimal string of cents`,
					},
				);
			}
		};
		return {
			...rest,
			cost_date: String(row.starting_at).slice(0, 10),
			amount: usd('amount'),
			list_amount: usd('list_amount'),
			currency: String(metrics.currency ?? 'USD').toUpperCase(),
			requests: (metrics.requests as number | null | undefined) ?? null,
		};
	});
}
