import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { parameterText, show } from '../../../../common/fields';
import { shiftDecimal, toDecimal } from '../../../../common/money';
import { anthropic } from '../common';
import { readScope, scopeFields, withUsd } from './common';

export const description: INodeProperties[] = [
	...scopeFields('set'),
	{
		displayName: 'No Limit',
		name: 'noLimit',
		type: 'boolean',
		default: false,
		description: 'Whether to set an explicit no-limit override for this scope and period',
		displayOptions: show('spendLimit', 'set'),
	},
	{
		displayName: 'Amount (USD)',
		name: 'amountUsd',
		type: 'string',
		default: '',
		placeholder: '500.00',
		description: 'The cap in US dollars, whole cents at most (sent to Anthropic in cents)',
		displayOptions: { show: { resource: ['spendLimit'], operation: ['set'], noLimit: [false] } },
	},
];

/** Dollars as Anthropic's integer cents string, exactly; anything else names the field. */
function cents(this: IExecuteFunctions, value: string, i: number): string {
	let usd: string;
	try {
		usd = toDecimal(value);
	} catch {
		usd = '';
	}
	const amount = usd ? shiftDecimal(usd, 2) : '';
	if (!/^\d+$/.test(amount)) {
		throw new NodeOperationError(
			this.getNode(),
			`"Amount (USD)" must be a non-negative amount in whole cents such as 500 or 12.34, got "${value}" (item ${i})`,
			{ itemIndex: i },
		);
	}
	return amount;
}

/** Upserts the limit of one scope and period (Anthropic keys it on both). */
export async function execute(this: IExecuteFunctions, i: number): Promise<IDataObject> {
	const { scope, period } = readScope.call(this, i);
	const none = this.getNodeParameter('noLimit', i, false) as boolean;
	const amount = none ? null : cents.call(this, parameterText.call(this, 'amountUsd', i), i);
	const limit = await anthropic.call(this, {
		method: 'POST',
		path: '/organizations/spend_limits',
		body: { amount, scope, period },
		itemIndex: i,
	});
	return withUsd(limit);
}
