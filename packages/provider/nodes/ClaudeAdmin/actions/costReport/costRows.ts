import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { shiftDecimal, toDecimal } from '../../../../common/money';
import type { Query } from '../../../../transport/provider';
import { readReport } from '../common';
import { BUCKETS_PER_PAGE } from '../reportFields';

export interface AnthropicCostRow extends IDataObject {
	cost_date: string;
	bucket_start: string;
	bucket_end: string;
	/** USD, exact: Anthropic's amount is a decimal string in cents. */
	amount: string;
	amount_cents: string;
	currency: string;
	workspace_id: string | null;
	description: string | null;
	/** True while the day has not ended: Anthropic may still add to its cost. */
	bucket_open: boolean;
}

/**
 * Daily cost results with the amount turned from cents into USD exactly ("123.45" cents is
 * "1.2345"). An amount that is not a decimal is an error naming the bucket, never a zero.
 */
export async function readCosts(
	this: IExecuteFunctions,
	query: Query,
	itemIndex: number,
	limit: number | undefined,
): Promise<AnthropicCostRow[]> {
	const results = await readReport.call(
		this,
		'/organizations/cost_report',
		{ ...query, bucket_width: '1d' },
		BUCKETS_PER_PAGE['1d'],
		itemIndex,
		limit,
	);
	return results.map((result) => {
		let cents: string;
		try {
			if (typeof result.amount !== 'string' && typeof result.amount !== 'number')
				throw new Error('missing');
			cents = toDecimal(result.amount);
		} catch {
			throw new NodeOperationError(
				this.getNode(),
				`Anthropic returned a cost amount that is not a decimal number (item ${itemIndex})`,
				{
					itemIndex,
					description: `amount ${JSON.stringify(result.amount)} in the bucket starting ${String(result.bucket_start)} is not a decimal string of cents`,
				},
			);
		}
		return {
			...result,
			cost_date: String(result.bucket_start).slice(0, 10),
			bucket_start: String(result.bucket_start),
			bucket_end: String(result.bucket_end),
			amount: shiftDecimal(cents, -2),
			amount_cents: cents,
			currency: String(result.currency ?? 'USD').toLowerCase(),
			workspace_id: (result.workspace_id as string | null | undefined) ?? null,
			description: (result.description as string | null | undefined) ?? null,
			bucket_open: Date.parse(String(result.bucket_end)) > Date.now(),
		};
	});
}
