import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { segment } from '../../../../transport/provider';
import { anthropic } from '../common';
import { SPEND_LIMIT_READS_BETA, spendLimitId, spendLimitIdField, withUsd } from './common';

export const description: INodeProperties[] = [spendLimitIdField(['get', 'delete'])];

export async function execute(this: IExecuteFunctions, i: number): Promise<IDataObject> {
	return withUsd(
		await anthropic.call(this, {
			method: 'GET',
			path: `/organizations/spend_limits/${segment(spendLimitId.call(this, i))}`,
			headers: { 'anthropic-beta': SPEND_LIMIT_READS_BETA },
			itemIndex: i,
		}),
	);
}
