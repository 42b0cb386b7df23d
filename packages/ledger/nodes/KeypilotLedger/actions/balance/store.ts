import { BALANCES, balanceRow, type BalanceProvider } from '../../../../core/balances';
import { storeOperation } from '../store';

export const operation = storeOperation<BalanceProvider>({
	resource: 'balance',
	name: 'Store',
	action: 'Store account balances',
	description: "Write the account's balance: one row per account and UTC day, the latest reading",
	providers: [
		{
			name: 'OpenRouter: Credits',
			value: 'openrouter',
			from: 'credits',
			description: 'Credits → Get',
		},
		{
			name: 'Volcengine: Balance',
			value: 'volcengine',
			from: 'billing',
			description: 'Billing → Get Balance',
		},
	],
	spec: () => BALANCES,
	rows: (provider, item) => [balanceRow(provider, item, new Date())],
});
