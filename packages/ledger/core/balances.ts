/**
 * Account balances, one row per account and UTC day (the day's latest reading): OpenRouter's
 * credits (Credits → Get) and Volcengine's balance (Billing → Get Balance).
 */
import { decimal, type Item, nullableDecimal, optionalText } from './fields';
import type { Row, TableSpec } from './upsert';

export const BALANCE_PROVIDERS = ['openrouter', 'volcengine'] as const;
export type BalanceProvider = (typeof BALANCE_PROVIDERS)[number];

export const BALANCES: TableSpec = {
	table: 'llm_account_balance',
	key: ['provider', 'account_id', 'balance_date'],
	values: [
		'available_balance',
		'cash_balance',
		'credit_limit',
		'arrears_balance',
		'frozen_amount',
		'currency',
	],
	touched: 'observed_at',
};

export function balanceRow(provider: BalanceProvider, item: Item, now: Date): Row {
	const balanceDate = now.toISOString().slice(0, 10);
	if (provider === 'openrouter') {
		return {
			provider,
			account_id: '',
			balance_date: balanceDate,
			available_balance: decimal(item, 'remaining_usd'),
			cash_balance: nullableDecimal(item, 'total_credits_usd'),
			credit_limit: null,
			arrears_balance: null,
			frozen_amount: null,
			currency: 'USD',
		};
	}
	return {
		provider,
		account_id: optionalText(item, 'AccountID'),
		balance_date: balanceDate,
		available_balance: decimal(item, 'AvailableBalance'),
		cash_balance: nullableDecimal(item, 'CashBalance'),
		credit_limit: nullableDecimal(item, 'CreditLimit'),
		arrears_balance: nullableDecimal(item, 'ArrearsBalance'),
		frozen_amount: nullableDecimal(item, 'FreezeAmount'),
		currency: (optionalText(item, 'Currency') || 'CNY').toUpperCase(),
	};
}
