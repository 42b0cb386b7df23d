import type { IDataObject, INodeProperties } from 'n8n-workflow';

import { csvList, show } from '../../../shared/fields';

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
				type: 'string',
				default: '',
				placeholder: 'PostPaid, PrePaid',
				description: 'Comma-separated billing modes',
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

export function billFilterBody(filters: IDataObject): IDataObject {
	const body: IDataObject = {};
	const products = csvList(filters.product);
	if (products.length) body.Product = products;
	const modes = csvList(filters.billingMode);
	if (modes.length) body.BillingMode = modes;
	if (filters.ignoreZero === true) body.IgnoreZero = 1;
	return body;
}
