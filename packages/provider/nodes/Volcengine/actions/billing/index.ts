import type { INodeProperties } from 'n8n-workflow';

import * as getBalance from './getBalance';
import * as getBillDetails from './getBillDetails';
import * as getBillOverview from './getBillOverview';

export const operations = { getBalance, getBillDetails, getBillOverview };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['billing'] } },
		options: [
			{
				name: 'Get Balance',
				value: 'getBalance',
				action: 'Get the account balance',
				description: 'Available, cash and frozen balance and credit limit (QueryBalanceAcct)',
			},
			{
				name: 'Get Bill Details',
				value: 'getBillDetails',
				action: 'Get the bill details of a month',
				description: 'Every billing record of a month (ListBillDetail)',
			},
			{
				name: 'Get Bill Overview by Product',
				value: 'getBillOverview',
				action: 'Get the bill overview by product',
				description: "A month's bill per product and billing mode (ListBillOverviewByProd)",
			},
		],
		default: 'getBalance',
	},
	...getBalance.description,
	...getBillDetails.description,
	...getBillOverview.description,
];
