/**
 * Billed cost in one row shape, from the output items of OpenAI Admin (Cost → Get), Claude Admin
 * (Analytics → Get Cost by API key; the legacy Cost Report → Get, or Usage Report → Get by API
 * key and model, priced here) and Volcengine (Bill → Get Overview or Get Details).
 */
import {
	day,
	decimal,
	type Item,
	LedgerInputError,
	month,
	nullableCount,
	nullableDecimal,
	nullableText,
	optionalText,
	text,
} from './fields';
import { costOf, type PriceLookup } from './usage/pricing';
import type { Row, TableSpec } from './upsert';

export const COST_PROVIDERS = [
	'openai',
	'anthropic',
	'anthropic_analytics',
	'anthropic_usage',
	'volcengine',
] as const;
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

/** An Anthropic row's scope: its workspace, or none (the Default Workspace). */
function workspaceScope(item: Item): Pick<Row, 'scope_type' | 'scope_id' | 'scope_name'> {
	const workspaceId = optionalText(item, 'workspace_id');
	return { scope_type: workspaceId ? 'workspace' : '', scope_id: workspaceId, scope_name: null };
}

function anthropic(item: Item): Row {
	return {
		provider: 'anthropic',
		account_id: '',
		...workspaceScope(item),
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

/**
 * Anthropic's billed cost of a day from the Analytics API (Get Cost, 1-day buckets, grouped by
 * API key and perhaps workspace or model): billing mode 'billed_by_key', the amount after
 * discounts, the list price as the original amount. A row without a key is usage no key of ours
 * made (the Console, for one).
 */
function anthropicAnalytics(item: Item): Row {
	return {
		provider: 'anthropic',
		account_id: '',
		...workspaceScope(item),
		period: 'day',
		period_start: day(item, 'starting_at'),
		line_item: optionalText(item, 'model'),
		line_item_name: null,
		api_key_id: optionalText(item, 'api_key_id'),
		billing_mode: 'billed_by_key',
		amount: decimal(item, 'amount'),
		original_amount: nullableDecimal(item, 'list_amount'),
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

/**
 * Anthropic's cost report has no API key grouping, so a key's daily cost is its usage report
 * (grouped by API key and model, 1-day buckets) priced by the catalog: billing mode
 * 'priced_usage', one line item per model; web searches at the model's per-search price.
 */
function anthropicUsage(item: Item, prices: PriceLookup): Row {
	const model = text(item, 'model');
	const pricing = prices.find(model, 'anthropic');
	if (!pricing) throw new LedgerInputError('model', 'a Claude model with a known price', model);
	const count = (path: string) => Number(nullableCount(item, path) ?? '0');
	const { cost_usd } = costOf(
		{
			input_tokens: count('uncached_input_tokens'),
			output_tokens: count('output_tokens'),
			cache_read_tokens: count('cache_read_input_tokens'),
			cache_write_5m_tokens: count('cache_creation_5m_input_tokens'),
			cache_write_1h_tokens: count('cache_creation_1h_input_tokens'),
			reasoning_tokens: null,
			web_search_requests: count('server_tool_use.web_search_requests'),
			web_fetch_requests: null,
		},
		pricing,
	);
	return {
		provider: 'anthropic',
		account_id: '',
		...workspaceScope(item),
		period: 'day',
		period_start: day(item, 'bucket_start'),
		line_item: model,
		line_item_name: `${model}, priced from the usage report (${pricing.source})`,
		api_key_id: optionalText(item, 'api_key_id'),
		billing_mode: 'priced_usage',
		amount: cost_usd,
		original_amount: null,
		currency: 'USD',
	};
}

export function costRow(provider: CostProvider, item: Item, prices?: PriceLookup): Row {
	if (provider === 'openai') return openAi(item);
	if (provider === 'anthropic') return anthropic(item);
	if (provider === 'anthropic_analytics') return anthropicAnalytics(item);
	if (provider === 'anthropic_usage') {
		if (!prices) throw new Error('Pricing Anthropic usage needs a price lookup');
		return anthropicUsage(item, prices);
	}
	return volcengine(item);
}
