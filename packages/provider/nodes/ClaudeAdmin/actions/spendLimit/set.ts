import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { show } from '../../../../common/fields';
import { anthropic } from '../common';
import { readScope, scopeFields, usdToCents, withUsd } from './common';

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

/** Upserts the limit of one scope and period (Anthropic keys it on both). */
export async function execute(this: IExecuteFunctions, i: number): Promise<IDataObject> {
	const { scope, period } = readScope.call(this, i);
	const none = this.getNodeParameter('noLimit', i, false) as boolean;
	const amount = none ? null : usdToCents.call(this, 'amountUsd', 'Amount (USD)', i);
	const limit = await anthropic.call(this, {
		method: 'POST',
		path: '/organizations/spend_limits',
		body: { amount, scope, period },
		itemIndex: i,
	});
	return withUsd(limit);
}
