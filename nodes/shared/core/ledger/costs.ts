/**
 * Billed cost in one row shape, from the output items of OpenAI Admin (Cost → Get), Claude Admin
 * (Cost Report → Get) and Volcengine (Bill → Get Overview or Get Details).
 */
import {
	day,
	decimal,
	type Item,
	LedgerInputError,
	month,
	nullableDecimal,
	nullableText,
	optionalText,
	text,
} from './fields';
import type { Row, TableSpec } from './upsert';

export const COST_PROVIDERS = ['openai', 'anthropic', 'volcengine'] as const;
export type CostProvider = (typeof COST_PROVIDERS)[number];

export const COSTS: TableSpec = {
	table: 'llm_costs',
	key: [
		'provider',
		'account_id',
		'scope_id',
		'period',
		'period_start',
		'line_item',
		'api_key_id',
		'billing_mode',
	],
	values: ['scope_type', 'scope_name', 'line_item_name', 'amount', 'original_amount', 'currency'],
	touched: 'synced_at',
	summed: ['amount', 'original_amount'],
};

const currency = (item: Item, path: string, fallback: string) =>
	(optionalText(item, path) || fallback).toUpperCase();

function openAi(item: Item): Row {
	const projectId = optionalText(item, 'project_id');
	return {
		provider: 'openai',
		account_id: '',
		scope_type: projectId ? 'project' : '',
		scope_id: projectId,
		scope_name: nullableText(item, 'project_name'),
		period: 'day',
		period_start: day(item, 'cost_date'),
		line_item: optionalText(item, 'line_item'),
		line_item_name: null,
		api_key_id: optionalText(item, 'api_key_id'),
		billing_mode: '',
		amount: decimal(item, 'amount'),
		original_amount: null,
		currency: currency(item, 'currency', 'USD'),
	};
}

function anthropic(item: Item): Row {
	const workspaceId = optionalText(item, 'workspace_id');
	return {
		provider: 'anthropic',
		account_id: '',
		scope_type: workspaceId ? 'workspace' : '',
		scope_id: workspaceId,
		scope_name: null,
		period: 'day',
		period_start: day(item, 'cost_date'),
		line_item: optionalText(item, 'description'),
		line_item_name: null,
		api_key_id: '',
		billing_mode: '',
		amount: decimal(item, 'amount'),
		original_amount: null,
		currency: currency(item, 'currency', 'USD'),
	};
}

/** A bill overview line is a month; a bill detail line with ExpenseDate is a day. */
function volcengine(item: Item): Row {
	const expenseDate = optionalText(item, 'ExpenseDate');
	if (!expenseDate && !optionalText(item, 'BillPeriod')) {
		throw new LedgerInputError(
			'BillPeriod',
			'a month such as "2026-11" (or ExpenseDate)',
			undefined,
		);
	}
	return {
		provider: 'volcengine',
		account_id: optionalText(item, 'OwnerID') || optionalText(item, 'PayerID'),
		scope_type: '',
		scope_id: '',
		scope_name: null,
		period: expenseDate ? 'day' : 'month',
		period_start: expenseDate ? day(item, 'ExpenseDate') : month(item, 'BillPeriod'),
		line_item: text(item, 'Product'),
		line_item_name: nullableText(item, 'ProductZh'),
		api_key_id: '',
		billing_mode: optionalText(item, 'BillingMode'),
		amount: decimal(item, 'PayableAmount'),
		original_amount: nullableDecimal(item, 'OriginalBillAmount'),
		currency: currency(item, 'Currency', 'CNY'),
	};
}

export function costRow(provider: CostProvider, item: Item): Row {
	if (provider === 'openai') return openAi(item);
	if (provider === 'anthropic') return anthropic(item);
	return volcengine(item);
}
