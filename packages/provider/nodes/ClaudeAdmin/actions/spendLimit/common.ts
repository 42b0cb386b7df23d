import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { idField, parameterText, show } from '../../../../common/fields';
import { shiftDecimal, toDecimal } from '../../../../common/money';
import { workspaceId, workspaceIdField } from '../common';

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

/** Anthropic's minor units (cents, fractions allowed) as exact USD; null for anything else. */
export function centsToUsd(cents: unknown, currency: unknown = 'USD'): string | null {
	if (typeof cents !== 'string' || !/^\d+(\.\d+)?$/.test(cents)) return null;
	return String(currency ?? 'USD') === 'USD' ? shiftDecimal(toDecimal(cents), -2) : null;
}

/** A limit as Anthropic returns it, with its amount also in USD, exact ("50000" cents is "500"). */
export function withUsd(limit: IDataObject): IDataObject {
	return { ...limit, amount_usd: centsToUsd(limit.amount, limit.currency) };
}

/** A member's effective limit, with the limit and the spend so far also in USD. */
export function summaryWithUsd(summary: IDataObject): IDataObject {
	return {
		...withUsd(summary),
		period_to_date_spend_usd: centsToUsd(summary.period_to_date_spend, summary.currency),
	};
}

/** Dollars typed in a field as Anthropic's integer cents string, exactly, or the field named. */
export function usdToCents(
	this: IExecuteFunctions,
	field: string,
	label: string,
	i: number,
): string {
	const value = parameterText.call(this, field, i);
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
			`"${label}" must be a non-negative amount in whole cents such as 500 or 12.34, got "${value}" (item ${i})`,
			{ itemIndex: i },
		);
	}
	return amount;
}

/** Scope, its workspace or user, and period: the key of a limit, for Set and Get for Scope. */
export function scopeFields(operation: string): INodeProperties[] {
	const when = (scope: string) => ({
		show: { resource: ['spendLimit'], operation: [operation], scope: [scope] },
	});
	return [
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
				{ name: 'User', value: 'user', description: 'Enterprise organizations: one member' },
				{
					name: 'Workspace',
					value: 'workspace',
					description: 'Console organizations (early-access preview): monthly',
				},
			],
			default: 'workspace',
			displayOptions: show('spendLimit', operation),
		},
		{ ...workspaceIdField('spendLimit', operation), displayOptions: when('workspace') },
		{
			displayName: 'User ID',
			name: 'userId',
			type: 'string',
			default: '',
			placeholder: 'user_01WCz1FkmYMm4gnmykNKUu3Q',
			displayOptions: when('user'),
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
			displayOptions: show('spendLimit', operation),
		},
	];
}

/** The scope object Anthropic keys a limit on, checked before any request, and the period. */
export function readScope(
	this: IExecuteFunctions,
	i: number,
): { scope: IDataObject; period: string } {
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
	return { scope, period: String(this.getNodeParameter('period', i)) };
}

/** A comma-separated list of tagged IDs (`user_…`), each checked before any request. */
export function taggedIds(
	this: IExecuteFunctions,
	field: string,
	label: string,
	prefix: string,
	i: number,
): string[] {
	const ids = String(this.getNodeParameter(field, i, '') ?? '')
		.split(',')
		.map((id) => id.trim())
		.filter(Boolean);
	const pattern = new RegExp(`^${prefix}_[A-Za-z0-9]+$`);
	const wrong = ids.find((id) => !pattern.test(id));
	if (wrong !== undefined) {
		throw new NodeOperationError(
			this.getNode(),
			`"${label}" must be ${prefix}_… IDs separated by commas, got "${wrong}" (item ${i})`,
			{ itemIndex: i },
		);
	}
	return ids;
}

export function userIds(this: IExecuteFunctions, field: string, label: string, i: number) {
	return taggedIds.call(this, field, label, 'user', i);
}
