import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { segment } from '../../../../transport/provider';
import { anthropic } from '../common';
import { requestId, requestWithUsd, suppressNotificationField } from './common';

export const description: INodeProperties[] = [suppressNotificationField('deny')];

/** Denies a pending request (denying a denied one again answers it as it is). */
export async function execute(this: IExecuteFunctions, i: number): Promise<IDataObject> {
	const id = requestId.call(this, i);
	const body: IDataObject = {};
	if (this.getNodeParameter('suppressNotification', i, false) === true) {
		body.suppress_notification = true;
	}
	return requestWithUsd(
		await anthropic.call(this, {
			method: 'POST',
			path: `/organizations/spend_limit_increase_requests/${segment(id)}/deny`,
			body,
			itemIndex: i,
		}),
	);
}
