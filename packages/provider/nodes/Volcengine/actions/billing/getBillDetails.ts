import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { readLimit, returnAllOrLimit } from '../../../../common/fields';
import { BILLING, billingRows, volcengineList } from '../../api';
import { billPeriodField, readBillPeriod } from '../common';
import { billFilterBody, billFilters } from './filters';

export const description: INodeProperties[] = [
	billPeriodField('getBillDetails'),
	...returnAllOrLimit('billing', 'getBillDetails'),
	billFilters('getBillDetails', [
		{
			displayName: 'Expense Date',
			name: 'expenseDate',
			type: 'string',
			default: '',
			placeholder: '2026-11-24',
			description:
				'Only the rows of this day (YYYY-MM-DD, within the bill period). Volcengine filters by day only in daily rows, so this turns on Group By Day.',
		},
		{
			displayName: 'Group By Day',
			name: 'groupByDay',
			type: 'boolean',
			default: false,
			description: 'Whether to return one row per instance and day instead of each billing record',
		},
		{
			displayName: 'Instance ID',
			name: 'instanceNo',
			type: 'string',
			default: '',
		},
	]),
];

/** Every bill detail row of the month (ListBillDetail), read page by page to the end. */
export async function execute(this: IExecuteFunctions, i: number): Promise<IDataObject[]> {
	const billPeriod = readBillPeriod.call(this, i);
	const filters = this.getNodeParameter('filters', i, {}) as IDataObject;
	const body: IDataObject = { BillPeriod: billPeriod, ...billFilterBody.call(this, filters, i) };
	const expenseDate = typeof filters.expenseDate === 'string' ? filters.expenseDate.trim() : '';
	if (expenseDate) {
		if (!/^\d{4}-\d{2}-\d{2}$/.test(expenseDate) || !expenseDate.startsWith(billPeriod)) {
			throw new NodeOperationError(
				this.getNode(),
				`"Expense Date" must be a day written YYYY-MM-DD inside the bill period ${billPeriod}, got "${expenseDate}" (item ${i})`,
				{ itemIndex: i },
			);
		}
		body.ExpenseDate = expenseDate;
		// ExpenseDate works only with daily rows (GroupPeriod 1).
		body.GroupPeriod = 1;
	}
	if (filters.groupByDay === true) body.GroupPeriod = 1;
	if (typeof filters.instanceNo === 'string' && filters.instanceNo.trim())
		body.InstanceNo = filters.instanceNo.trim();
	return await volcengineList.call(
		this,
		{ ...BILLING, action: 'ListBillDetail', method: 'POST', body, idempotent: true, itemIndex: i },
		{ limit: readLimit.call(this, i), paramsIn: 'body', extract: billingRows },
	);
}
