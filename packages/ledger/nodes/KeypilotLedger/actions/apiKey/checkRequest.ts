import type { IDataObject } from 'n8n-workflow';

import { checkKeyRequest } from '../../../../core/keyRequest';
import type { Operation } from '../../../../common/operation';

/**
 * Checks a request for a new key whole (the key webhook's body) before anything is created or
 * written: `valid`, and when not, the `field` and a `message` that says what it must be and what
 * came. Touches no provider and no table.
 */
export const operation: Operation<IDataObject> = {
	option: {
		name: 'Check Request',
		value: 'checkRequest',
		action: 'Check a key request',
		description:
			'Validate a request for a new key (provider, name, limits, quota) before anything is created',
	},
	description: [
		{
			displayName: 'Request Body',
			name: 'body',
			type: 'json',
			default: '={{ $json.body }}',
			description:
				'The request: provider, name, and project_id, credit_limit, limit_reset, user_name, routes, models, upstream and quota as the provider needs',
		},
	],
	check(itemIndex) {
		const body = this.getNodeParameter('body', itemIndex, {}) as unknown;
		let parsed: unknown = body;
		if (typeof body === 'string') {
			try {
				parsed = JSON.parse(body) as unknown;
			} catch {
				parsed = body;
			}
		}
		return checkKeyRequest(parsed) as unknown as IDataObject;
	},
	async write(checked, results) {
		for (const { item, input } of checked) results.emit(0, { json: input, pairedItem: { item } });
	},
};
