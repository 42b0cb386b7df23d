import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { segment } from '../../../../transport/provider';
import { anthropic } from '../common';
import { SPEND_LIMIT_READS_BETA } from '../spendLimit/common';
import { requestId, requestIdField, requestWithUsd } from './common';

export const description: INodeProperties[] = [requestIdField(['get', 'approve', 'deny'])];

export async function execute(this: IExecuteFunctions, i: number): Promise<IDataObject> {
	return requestWithUsd(
		await anthropic.call(this, {
			method: 'GET',
			path: `/organizations/spend_limit_increase_requests/${segment(requestId.call(this, i))}`,
			headers: { 'anthropic-beta': SPEND_LIMIT_READS_BETA },
			itemIndex: i,
		}),
	);
}
