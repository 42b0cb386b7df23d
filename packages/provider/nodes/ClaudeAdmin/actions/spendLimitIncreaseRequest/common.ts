import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { idField, parameterText, show } from '../../../../common/fields';
import { summaryWithUsd, withUsd } from '../spendLimit/common';

export const RESOURCE = 'spendLimitIncreaseRequest';

export const requestIdField = (operation: string | string[]): INodeProperties =>
	idField('requestId', 'Request ID', RESOURCE, operation, 'slir_01AbCdEfGhIjKlMnOpQrSt');

/** An increase request ID as Anthropic writes them; a malformed one is refused before any call. */
export function requestId(this: IExecuteFunctions, i: number): string {
	const value = parameterText.call(this, 'requestId', i);
	if (!/^slir_[A-Za-z0-9]+$/.test(value)) {
		throw new NodeOperationError(
			this.getNode(),
			`"Request ID" must look like slir_01AbCdEfGhIjKlMnOpQrSt, got "${value}" (item ${i})`,
			{ itemIndex: i },
		);
	}
	return value;
}

export const suppressNotificationField = (operation: string): INodeProperties => ({
	displayName: 'Suppress Notification',
	name: 'suppressNotification',
	type: 'boolean',
	default: false,
	description: 'Whether to keep Anthropic from emailing the member (when you tell them yourself)',
	displayOptions: show(RESOURCE, operation),
});

/** A request as Anthropic returns it, the limit it wrote and the member's summary also in USD. */
export function requestWithUsd(request: IDataObject): IDataObject {
	const limit = request.spend_limit as IDataObject | null | undefined;
	const summary = request.spend_summary as IDataObject | null | undefined;
	return {
		...request,
		...(limit ? { spend_limit: withUsd(limit) } : {}),
		...(summary ? { spend_summary: summaryWithUsd(summary) } : {}),
	};
}
