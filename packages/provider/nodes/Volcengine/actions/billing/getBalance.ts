import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { BILLING, volcengine } from '../../api';

export const description: INodeProperties[] = [];

/** Balances come back as decimal strings ("1234.56") and are passed on untouched. */
export async function execute(this: IExecuteFunctions, i: number): Promise<IDataObject> {
	return await volcengine.call(this, {
		...BILLING,
		action: 'QueryBalanceAcct',
		method: 'POST',
		body: {},
		idempotent: true,
		itemIndex: i,
	});
}
