import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { asNodeError, failedItem, usesErrorOutput } from '../../shared/router';
import { withPostgres } from '../../shared/postgres/pool';
import { SET_UP_HINT } from '../../shared/core/ledger/schema';
import { RequestBoundError } from '../../shared/core/usage/requestBound';
import { AmountTypeError, NoQuotaError } from './common';
import { operations, ROUTING_OPERATIONS } from './index';

/** Why a Reserve or Check that failed was sent to Exhausted: `quota.error_code` of the item. */
export const FAILURE_CODES = {
	input: 'QUOTA_INPUT_INVALID',
	noQuota: 'QUOTA_NOT_SET',
	database: 'QUOTA_STORE_UNAVAILABLE',
	failed: 'QUOTA_CHECK_FAILED',
} as const;

function databaseError(this: IExecuteFunctions, error: unknown, itemIndex: number) {
	const code = (error as { code?: string }).code;
	if (code === '42P01') {
		return new NodeOperationError(
			this.getNode(),
			`The quota tables do not exist in this database (item ${itemIndex})`,
			{ itemIndex, description: SET_UP_HINT },
		);
	}
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
	const outputs: INodeExecutionData[][] = routing ? [[], []] : [[]];
	const continuing = this.continueOnFail();
	const errorOutput = usesErrorOutput(this.getNode());

	const fail = (error: Error, itemIndex: number, code: string) => {
		if (!continuing) throw asNodeError(this.getNode(), error, itemIndex);
		if (errorOutput || !routing) {
			outputs[routing ? 1 : 0].push(failedItem(error, itemIndex));
			return;
		}
		outputs[1].push({
			json: {
				...items[itemIndex].json,
				quota: {
					allowed: false,
					error_code: code,
					message: error.message,
				},
			},
			pairedItem: { item: itemIndex },
		});
	};

	if (!operation) {
		const unknown = new NodeOperationError(
			this.getNode(),
			`The operation "${operationName}" is not known`,
		);
		for (let i = 0; i < items.length; i++) fail(unknown, i, FAILURE_CODES.input);
		return outputs;
	}

	let prepared: unknown;
	try {
		prepared = await operation.prepare?.call(this);
	} catch (error) {
		for (let i = 0; i < items.length; i++) fail(error as Error, i, FAILURE_CODES.input);
		return outputs;
	}
	const inputs: unknown[] = [];
	const failed = new Set<number>();
	for (let i = 0; i < items.length; i++) {
		try {
			inputs[i] = operation.read.call(this, i, prepared);
		} catch (error) {
			fail(error as Error, i, FAILURE_CODES.input);
			failed.add(i);
		}
	}
	const pending = items
		.map((_, i) => i)
		.filter((i) => !failed.has(i))
		.slice(0, operation.once ? 1 : undefined);
	if (!pending.length) return outputs;

	const done = new Set<number>();
	try {
		await withPostgres.call(this, async (client) => {
			for (const i of pending) {
				try {
					const routed = await operation.run(client, inputs[i]);
					if (routed.items) {
						for (const json of routed.items) {
							outputs[routed.output].push({ json: json as IDataObject, pairedItem: { item: i } });
						}
						done.add(i);
						continue;
					}
					outputs[routed.output].push({
						json: {
							...items[i].json,
							quota: routed.quota as IDataObject,
							...(routed.request ? { metered_request: routed.request as IDataObject } : {}),
						},
						pairedItem: { item: i },
					});
				} catch (error) {
					fail(databaseError.call(this, error, i), i, runFailureCode(error));
				}
				done.add(i);
			}
		});
	} catch (error) {
		// The credential or the database could not be used: every item not yet answered fails.
		const unavailable = asNodeError(this.getNode(), error, pending[0]);
		if (!continuing) throw unavailable;
		for (const i of pending) if (!done.has(i)) fail(unavailable, i, FAILURE_CODES.database);
	}
	return outputs;
}
