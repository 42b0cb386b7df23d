import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import type { PoolClient } from 'pg';

import { LedgerInputError } from '../../../core/fields';
import { withPostgres } from '../../postgres/pool';
import { type CheckedOperation, dispatch } from '../../../common/router';
import { operations } from './index';
import type { LedgerOperation } from './operation';

/** A ledger operation as the dispatcher runs it: every item checked, then all written at once. */
function checked(operation: LedgerOperation<unknown>): CheckedOperation<unknown> {
	return {
		check(itemIndex) {
			return operation.read.call(this, itemIndex);
		},
		async write(inputs, results) {
			const write = async (db: PoolClient): Promise<INodeExecutionData[]> =>
				await operation.write.call(this, db, inputs);
			const written = (await withPostgres.call(this, write, {
				anySchema: operation.anySchema,
			})) as INodeExecutionData[];
			for (const entry of written) results.emit(0, entry);
		},
	};
}

/**
 * Checks every item first, then writes: an item whose input is wrong fails by itself (named, with
 * the field) before anything is written, and the items that passed are written together. Without
 * Continue On Fail any failure stops the node with nothing written. Under Continue a failed item
 * has n8n's error shape (so "Continue (using error output)" routes it there), and a write that
 * failed fails every item it held: nothing is reported as stored that was not.
 */
export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const resource = this.getNodeParameter('resource', 0) as string;
	const operationName = this.getNodeParameter('operation', 0) as string;
	const operation = operations[resource]?.[operationName];
	return await dispatch.call(
		this,
		operation && checked(operation),
		{ resource, operation: operationName },
		{ inputErrors: [LedgerInputError] },
	);
}
