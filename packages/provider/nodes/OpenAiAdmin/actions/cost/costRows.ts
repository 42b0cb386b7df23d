import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { InvalidAmountError, toDecimal } from '../../../../common/money';
import { utcDate } from '../../../../common/time';
import type { Query } from '../../../../transport/provider';
import { readReport } from '../report';

/** The cost API's largest page: 180 daily buckets. */
const COST_BUCKETS_PER_PAGE = 180;

export interface CostRow extends IDataObject {
	cost_date: string;
	bucket_start: string;
	bucket_end: string;
	amount: string;
	currency: string;
	project_id: string | null;
	line_item: string | null;
	api_key_id: string | null;
}

/**
 * Daily cost results as flat rows with the amount as an exact decimal string.
 * An amount that is not a number is an error that names the bucket, never a silent zero.
 */
export async function readCosts(
	this: IExecuteFunctions,
	query: Query,
	itemIndex: number,
	limit: number | undefined,
): Promise<CostRow[]> {
	const results = await readReport.call(
		this,
		'/organization/costs',
		query,
		COST_BUCKETS_PER_PAGE,
		itemIndex,
		limit,
	);
	return results.map((result) => {
		const amount = (result.amount ?? {}) as IDataObject;
		let value: string;
		try {
			value = toDecimal(amount.value as string | number);
		} catch (error) {
			const reason = error instanceof InvalidAmountError ? 'not a decimal number' : String(error);
			throw new NodeOperationError(
				this.getNode(),
				`OpenAI returned a cost amount that is not a number (item ${itemIndex})`,
				{
					itemIndex,
					description: `amount.value ${JSON.stringify(amount.value)} in the bucket starting ${String(result.bucket_start)} is ${reason}`,
				},
			);
		}
		return {
			cost_date: utcDate(Number(result.start_time) * 1000),
			bucket_start: result.bucket_start as string,
			bucket_end: result.bucket_end as string,
			amount: value,
			currency: String(amount.currency ?? 'usd').toLowerCase(),
			project_id: (result.project_id as string | null | undefined) ?? null,
			line_item: (result.line_item as string | null | undefined) ?? null,
			api_key_id: (result.api_key_id as string | null | undefined) ?? null,
		};
	});
}
