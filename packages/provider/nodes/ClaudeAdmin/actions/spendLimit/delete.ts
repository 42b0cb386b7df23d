import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { segment } from '../../../../transport/provider';
import { anthropic } from '../common';
import { spendLimitId } from './common';

// The ID field is shared with Get (see get.ts).
export const description: INodeProperties[] = [];

export async function execute(this: IExecuteFunctions, i: number): Promise<IDataObject> {
	const id = spendLimitId.call(this, i);
	const answer = await anthropic.call(this, {
		method: 'DELETE',
		path: `/organizations/spend_limits/${segment(id)}`,
		itemIndex: i,
	});
	return { id, deleted: true, ...answer };
}
