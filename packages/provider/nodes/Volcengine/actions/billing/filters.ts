import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { csvList, show } from '../../../../common/fields';

/** Filters shared by the bill overview and the bill details. */
export function billFilters(operation: string, extra: INodeProperties[] = []): INodeProperties {
	return {
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		displayOptions: show('billing', operation),
		options: [
			{
				displayName: 'Billing Modes',
				name: 'billingMode',
				type: 'multiOptions',
				options: BILLING_MODES,
				default: [],
				description: 'Only rows of these billing modes; none for all',
			},
			{
				displayName: 'Ignore Zero Amounts',
				name: 'ignoreZero',
				type: 'boolean',
				default: false,
				description: 'Whether to leave out rows whose amount is zero',
			},
			{
				displayName: 'Products',
				name: 'product',
				type: 'string',
				default: '',
				placeholder: 'ark, ecs',
				description: 'Comma-separated product codes',
			},
			...extra,
		],
	};
}

/** The `BillingMode` codes of ListBillOverviewByProd and ListBillDetail. */
const BILLING_MODES = [
	{ name: 'Subscription', value: '1' },
	{ name: 'Pay-as-You-Go', value: '2' },
	{ name: 'Contract', value: '3' },
	{ name: 'Fulfilment', value: '4' },
];

export function billFilterBody(
	this: IExecuteFunctions,
	filters: IDataObject,
	i: number,
): IDataObject {
	const body: IDataObject = {};
	const products = csvList(filters.product);
	if (products.length) body.Product = products;
	const modes = csvList(filters.billingMode);
	const unknown = modes.filter((mode) => !BILLING_MODES.some((known) => known.value === mode));
	if (unknown.length) {
		throw new NodeOperationError(
			this.getNode(),
			`"Billing Modes" must be codes ${BILLING_MODES.map((mode) => `${mode.value} (${mode.name})`).join(', ')}, got ${unknown.map((mode) => `"${mode}"`).join(', ')} (item ${i})`,
			{ itemIndex: i },
		);
	}
	if (modes.length) body.BillingMode = modes;
	if (filters.ignoreZero === true) body.IgnoreZero = 1;
	return body;
}
