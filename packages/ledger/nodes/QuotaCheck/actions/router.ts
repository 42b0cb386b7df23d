import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { dispatch, failedItem, usesErrorOutput } from '../../../common/router';
import { operations, ROUTING_OPERATIONS } from './index';
import { FAILURE_CODES } from './write';

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
		operation,
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
