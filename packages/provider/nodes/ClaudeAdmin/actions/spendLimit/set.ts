import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { parameterText, show } from '../../../../common/fields';
import { shiftDecimal, toDecimal } from '../../../../common/money';
import { anthropic, workspaceId, workspaceIdField } from '../common';
import { withUsd } from './common';

export const description: INodeProperties[] = [
	{
		displayName: 'Scope',
		name: 'scope',
		type: 'options',
		options: [
			{
				name: 'Organization',
				value: 'organization',
				description: 'Console organizations (early-access preview): monthly',
			},
			{
				name: 'User',
				value: 'user',
				description: 'Enterprise organizations: one member',
			},
			{
				name: 'Workspace',
				value: 'workspace',
				description: 'Console organizations (early-access preview): monthly',
			},
		],
		default: 'workspace',
		displayOptions: show('spendLimit', 'set'),
	},
	{
		...workspaceIdField('spendLimit', 'set'),
		displayOptions: {
			show: { resource: ['spendLimit'], operation: ['set'], scope: ['workspace'] },
		},
	},
	{
		displayName: 'User ID',
		name: 'userId',
		type: 'string',
		default: '',
		placeholder: 'user_01WCz1FkmYMm4gnmykNKUu3Q',
		displayOptions: { show: { resource: ['spendLimit'], operation: ['set'], scope: ['user'] } },
	},
	{
		displayName: 'Period',
		name: 'period',
		type: 'options',
		options: [
			{ name: 'Daily', value: 'daily' },
			{ name: 'Monthly', value: 'monthly' },
			{ name: 'Weekly', value: 'weekly' },
		],
		default: 'monthly',
		displayOptions: show('spendLimit', 'set'),
	},
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
	const type = String(this.getNodeParameter('scope', i));
	const scope: IDataObject = { type };
	if (type === 'workspace') scope.workspace_id = workspaceId.call(this, 'workspaceId', i);
	if (type === 'user') {
		const user = parameterText.call(this, 'userId', i);
		if (!/^user_[A-Za-z0-9]+$/.test(user)) {
			throw new NodeOperationError(
				this.getNode(),
				`"User ID" must look like user_01WCz1FkmYMm4gnmykNKUu3Q, got "${user}" (item ${i})`,
				{ itemIndex: i },
			);
		}
		scope.user_id = user;
	}
	const none = this.getNodeParameter('noLimit', i, false) as boolean;
	const amount = none ? null : cents.call(this, parameterText.call(this, 'amountUsd', i), i);
	const limit = await anthropic.call(this, {
		method: 'POST',
		path: '/organizations/spend_limits',
		body: { amount, scope, period: this.getNodeParameter('period', i) },
		itemIndex: i,
	});
	return withUsd(limit);
}
