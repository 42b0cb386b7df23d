import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { idField, parameterText } from '../../../../common/fields';
import { shiftDecimal, toDecimal } from '../../../../common/money';

/** Reading spend limits is a beta; setting and deleting them is not. */
export const SPEND_LIMIT_READS_BETA = 'spend-limit-reads-2026-09-26';

export const spendLimitIdField = (operation: string | string[]): INodeProperties =>
	idField(
		'spendLimitId',
		'Spend Limit ID',
		'spendLimit',
		operation,
		'spl_01JwQvzr7rXLA5AGx3HKfFUJ',
	);

/** A spend limit ID as Anthropic writes them; a malformed one is refused before any request. */
export function spendLimitId(this: IExecuteFunctions, i: number): string {
	const value = parameterText.call(this, 'spendLimitId', i);
	if (!/^spl_[A-Za-z0-9]+$/.test(value)) {
		throw new NodeOperationError(
			this.getNode(),
			`"Spend Limit ID" must look like spl_01JwQvzr7rXLA5AGx3HKfFUJ, got "${value}" (item ${i})`,
			{ itemIndex: i },
		);
	}
	return value;
}

/** A limit as Anthropic returns it, with its amount also in USD, exact ("50000" cents is "500"). */
export function withUsd(limit: IDataObject): IDataObject {
	const cents = limit.amount;
	const usd =
		typeof cents === 'string' && /^\d+$/.test(cents) && String(limit.currency ?? 'USD') === 'USD'
			? shiftDecimal(toDecimal(cents), -2)
			: null;
	return { ...limit, amount_usd: usd };
}
