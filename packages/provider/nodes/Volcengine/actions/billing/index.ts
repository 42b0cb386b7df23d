import { perItem, type Resource } from '../../../../common/operation';
import * as getBalance from './getBalance';
import * as getBillDetails from './getBillDetails';
import * as getBillOverview from './getBillOverview';

export const resource: Resource = {
	option: { name: 'Billing', value: 'billing' },
	default: 'getBalance',
	operations: [
		perItem(
			{
				name: 'Get Balance',
				value: 'getBalance',
				action: 'Get the account balance',
				description: 'Available, cash and frozen balance and credit limit (QueryBalanceAcct)',
			},
			getBalance,
		),
		perItem(
			{
				name: 'Get Bill Details',
				value: 'getBillDetails',
				action: 'Get the bill details of a month',
				description: 'Every billing record of a month (ListBillDetail)',
			},
			getBillDetails,
		),
		perItem(
			{
				name: 'Get Bill Overview by Product',
				value: 'getBillOverview',
				action: 'Get the bill overview by product',
				description: "A month's bill per product and billing mode (ListBillOverviewByProd)",
			},
			getBillOverview,
		),
	],
};
