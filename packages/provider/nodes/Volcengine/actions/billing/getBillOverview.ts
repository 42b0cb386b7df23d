import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { readLimit, returnAllOrLimit } from '../../../../common/fields';
import { BILLING, billingRows, volcengineList } from '../../api';
import { billPeriodField, readBillPeriod } from '../common';
import { billFilterBody, billFilters } from './filters';

export const description: INodeProperties[] = [
	billPeriodField('getBillOverview'),
	...returnAllOrLimit('billing', 'getBillOverview'),
	billFilters('getBillOverview'),
];

/** One item per product and billing mode for the month (ListBillOverviewByProd). */
export async function execute(this: IExecuteFunctions, i: number): Promise<IDataObject[]> {
	const filters = this.getNodeParameter('filters', i, {}) as IDataObject;
	return await volcengineList.call(
		this,
		{
			...BILLING,
			action: 'ListBillOverviewByProd',
			method: 'POST',
			body: { BillPeriod: readBillPeriod.call(this, i), ...billFilterBody.call(this, filters, i) },
			idempotent: true,
			itemIndex: i,
		},
		{ limit: readLimit.call(this, i), paramsIn: 'body', extract: billingRows },
	);
}
