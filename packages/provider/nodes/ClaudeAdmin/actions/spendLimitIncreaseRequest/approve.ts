import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { show } from '../../../../common/fields';
import { segment } from '../../../../transport/provider';
import { anthropic } from '../common';
import { usdToCents } from '../spendLimit/common';
import { RESOURCE, requestId, requestWithUsd, suppressNotificationField } from './common';

export const description: INodeProperties[] = [
	{
		displayName: 'New Limit (USD)',
		name: 'amountUsd',
		type: 'string',
		required: true,
		default: '',
		placeholder: '750.00',
		description:
			'The member’s new per-user limit in US dollars, whole cents at most (a request carries no amount of its own)',
		displayOptions: show(RESOURCE, 'approve'),
	},
	{
		displayName: 'Period',
		name: 'period',
		type: 'options',
		options: [
			{
				name: 'As Requested',
				value: '',
				description: 'The period the member was stopped on',
			},
			{ name: 'Daily', value: 'daily' },
			{ name: 'Monthly', value: 'monthly' },
			{ name: 'Weekly', value: 'weekly' },
		],
		default: '',
		displayOptions: show(RESOURCE, 'approve'),
	},
	suppressNotificationField('approve'),
];

/** Writes the member's per-user limit and resolves the request as approved, in one call. */
export async function execute(this: IExecuteFunctions, i: number): Promise<IDataObject> {
	const id = requestId.call(this, i);
	const period = String(this.getNodeParameter('period', i, '') ?? '');
	const body: IDataObject = {
		amount: usdToCents.call(this, 'amountUsd', 'New Limit (USD)', i),
		...(period ? { period } : {}),
	};
	if (this.getNodeParameter('suppressNotification', i, false) === true) {
		body.suppress_notification = true;
	}
	return requestWithUsd(
		await anthropic.call(this, {
			method: 'POST',
			path: `/organizations/spend_limit_increase_requests/${segment(id)}/approve`,
			body,
			itemIndex: i,
		}),
	);
}
