import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { readLimit, returnAllOrLimit } from '../../../../common/fields';
import { IAM, volcengine } from '../../api';
import { optionalUserName, userNameField } from '../common';

export const description: INodeProperties[] = [
	userNameField('apiKey', 'getAll'),
	...returnAllOrLimit('apiKey', 'getAll'),
];

/** ListApiKeys' bounds in the official SDK model: Limit up to 1000, Offset up to 100. */
const MAX_LIMIT = 1000;
const MAX_OFFSET = 100;

/**
 * ListApiKeys refuses an Offset above 100, so paging by 100 stops after 200 keys. Pages of 1000
 * at Offset 0 and then 100 reach 1100 keys, the most the action can list; more is an error that
 * says how to narrow the list, never a silently short one.
 */
export async function execute(this: IExecuteFunctions, i: number): Promise<IDataObject[]> {
	const limit = readLimit.call(this, i);
	const userName = optionalUserName.call(this, i);
	const keys = new Map<string, IDataObject>();
	for (const offset of [0, MAX_OFFSET]) {
		const pageSize = Math.min(MAX_LIMIT, limit ?? MAX_LIMIT);
		const result = await volcengine.call(this, {
			...IAM,
			action: 'ListApiKeys',
			query: { UserName: userName, Limit: pageSize, Offset: offset || undefined },
			idempotent: true,
			itemIndex: i,
		});
		const page = Array.isArray(result.ApiKeys) ? (result.ApiKeys as IDataObject[]) : [];
		for (const key of page) keys.set(String(key.Id), key);
		const total = Number(result.Total ?? keys.size);
		if (page.length < pageSize || (limit !== undefined && keys.size >= limit)) break;
		if (offset === MAX_OFFSET && total > keys.size) {
			throw new NodeOperationError(
				this.getNode(),
				`Volcengine lists at most ${MAX_LIMIT + MAX_OFFSET} API keys in one ListApiKeys read, and this account has ${total} (item ${i})`,
				{ itemIndex: i, description: 'Set "User Name" to list one user\'s keys at a time' },
			);
		}
	}
	const all = [...keys.values()];
	return limit === undefined ? all : all.slice(0, limit);
}
