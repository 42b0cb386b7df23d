import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import {
	asNodeError,
	type CheckedOperation,
	dispatch,
	failedItem,
	usesErrorOutput,
} from '../../../common/router';
import { missingSchemaError, withPostgres } from '../../postgres/pool';
import { RequestBoundError } from '../../../core/usage/requestBound';
import { AmountTypeError, NoQuotaError } from './common';
import type { QuotaOperation } from './common';
import { operations, ROUTING_OPERATIONS } from './index';

/** Why a Reserve or Check that failed was sent to Exhausted: `quota.error_code` of the item. */
export const FAILURE_CODES = {
	input: 'QUOTA_INPUT_INVALID',
	noQuota: 'QUOTA_NOT_SET',
	database: 'QUOTA_STORE_UNAVAILABLE',
	failed: 'QUOTA_CHECK_FAILED',
} as const;

function databaseError(this: IExecuteFunctions, error: unknown, itemIndex: number) {
	const missing = missingSchemaError(this.getNode(), error, itemIndex);
	if (missing) return missing;
	if (
		error instanceof AmountTypeError ||
		error instanceof NoQuotaError ||
		error instanceof RequestBoundError
	) {
		return new NodeOperationError(this.getNode(), `${error.message} (item ${itemIndex})`, {
			itemIndex,
		});
	}
	return asNodeError(this.getNode(), error, itemIndex);
}

/** Why a statement failed, for `quota.error_code`. */
function runFailureCode(error: unknown): string {
	if (error instanceof NoQuotaError) return FAILURE_CODES.noQuota;
	if (error instanceof AmountTypeError || error instanceof RequestBoundError) {
		return FAILURE_CODES.input;
	}
	return FAILURE_CODES.failed;
}

/** A Quota Check operation as the dispatcher runs it: items read first, then one statement each. */
function checked(operation: QuotaOperation<unknown>): CheckedOperation<unknown, unknown> {
	return {
		prepare: operation.prepare,
		once: operation.once,
		check(itemIndex, prepared) {
			return operation.read.call(this, itemIndex, prepared);
		},
		async write(inputs, results) {
			const items = this.getInputData();
			await withPostgres.call(this, async (client) => {
				for (const { item: i, input } of inputs) {
					try {
						const routed = await operation.run(client, input);
						const entries = routed.items ?? [
							{
								...items[i].json,
								quota: routed.quota as IDataObject,
								...(routed.request ? { metered_request: routed.request as IDataObject } : {}),
							},
						];
						for (const json of entries) {
							results.emit(routed.output, { json: json as IDataObject, pairedItem: { item: i } });
						}
					} catch (error) {
						results.fail(databaseError.call(this, error, i), i, runFailureCode(error));
					}
				}
			});
		},
	};
}

/**
 * Reads and checks every item's parameters before touching the database, so bad input changes
 * nothing; then runs one statement per item, each atomic by itself, in item order. Reserve and
 * Check send each item to Allowed (output 0) or Exhausted (output 1).
 *
 * Fail closed: nothing that failed ever leaves through Allowed. Without Continue the node fails.
 * Under "Continue (using error output)" a failed item has n8n's error shape and goes to the
 * error output. Under plain "Continue" a failed Reserve or Check goes to Exhausted with
 * `quota.error_code` saying why. Nothing here throws in a Continue mode, since n8n would then
 * pass the input items on through the first output.
 */
export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const operationName = this.getNodeParameter('operation', 0) as string;
	const operation = operations[operationName];
	const routing = ROUTING_OPERATIONS.includes(operationName) || !operation;
	const errorOutput = usesErrorOutput(this.getNode());
	return await dispatch.call(
		this,
		operation && checked(operation),
		{ operation: operationName },
		{
			outputs: routing ? 2 : 1,
			codes: {
				input: FAILURE_CODES.input,
				write: FAILURE_CODES.failed,
				unavailable: FAILURE_CODES.database,
			},
			failure(error, itemIndex, code) {
				if (errorOutput || !routing) {
					return { output: routing ? 1 : 0, item: failedItem(error, itemIndex) };
				}
				return {
					output: 1,
					item: {
						json: {
							...items[itemIndex].json,
							quota: { allowed: false, error_code: code, message: error.message },
						},
						pairedItem: { item: itemIndex },
					},
				};
			},
		},
	);
}
