import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { addDecimals, toDecimal } from '../../../../common/money';
import { openRouterData } from '../../api';

export const description: INodeProperties[] = [];

/** Credits bought and used, and what is left, in USD (exact decimal strings). */
export async function execute(this: IExecuteFunctions, i: number): Promise<IDataObject> {
	const data = await openRouterData.call(this, { method: 'GET', path: '/credits', itemIndex: i });
	const total = toDecimal(data.total_credits as number | string);
	const used = toDecimal(data.total_usage as number | string);
	return {
		...data,
		total_credits_usd: total,
		total_usage_usd: used,
		remaining_usd: addDecimals(total, `-${used}`),
	};
}
