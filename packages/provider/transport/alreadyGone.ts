import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { show } from '../common/fields';

/** A delete that may find its target already gone: a retried clean-up, a rotation resumed. */
export function alreadyGoneField(resource: string, operation: string): INodeProperties {
	return {
		displayName: 'Succeed If Already Deleted',
		name: 'alreadyGoneIsDeleted',
		type: 'boolean',
		default: false,
		description:
			'Whether a 404 from the provider (nothing by that ID) counts as deleted, with already_gone true in the output, instead of failing',
		displayOptions: show(resource, operation),
	};
}

/**
 * Runs a delete request. With the field on, the provider's 404 means the key is gone, which is
 * what the delete was for: the output says so instead of failing.
 */
export async function deleting<T>(
	this: IExecuteFunctions,
	itemIndex: number,
	request: () => Promise<T>,
): Promise<{ result?: T; alreadyGone: boolean }> {
	const tolerate = this.getNodeParameter('alreadyGoneIsDeleted', itemIndex, false) as boolean;
	let failure: unknown;
	try {
		return { result: await request(), alreadyGone: false };
	} catch (error) {
		failure = error;
	}
	if (tolerate && failure instanceof NodeApiError && failure.httpCode === '404') {
		return { alreadyGone: true };
	}
	throw failure;
}
