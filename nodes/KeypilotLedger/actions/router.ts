import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import type { PoolClient } from 'pg';

import { LedgerInputError } from '../../shared/core/ledger/fields';
import { withPostgres } from '../../shared/postgres/pool';
import { asNodeError, failedItem } from '../../shared/router';
import { operations } from './index';

/**
 * Checks every item first, then writes: an item whose input is wrong fails by itself (named, with
 * the field) before anything is written, and the items that passed are written together. Without
 * Continue On Fail any failure stops the node with nothing written. Under Continue a failed item
 * has n8n's error shape (so "Continue (using error output)" routes it there), and a write that
 * failed fails every item it held: nothing is reported as stored that was not.
 */
export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const resource = this.getNodeParameter('resource', 0) as string;
	const operationName = this.getNodeParameter('operation', 0) as string;
	const operation = operations[resource]?.[operationName];
	const output: INodeExecutionData[] = [];
	const continuing = this.continueOnFail();

	const fail = (error: unknown, itemIndex: number) => {
		const nodeError =
			error instanceof LedgerInputError
				? new NodeOperationError(this.getNode(), `${error.message} (item ${itemIndex})`, {
						itemIndex,
					})
				: asNodeError(this.getNode(), error, itemIndex);
		if (!continuing) throw nodeError;
		output.push(failedItem(nodeError, itemIndex));
	};

	if (!operation) {
		const unknown = new NodeOperationError(
			this.getNode(),
			`The operation "${operationName}" is not known for "${resource}"`,
		);
		for (let i = 0; i < items.length; i++) fail(unknown, i);
		return [output];
	}

	const inputs: Array<{ item: number; input: unknown }> = [];
	for (let item = 0; item < items.length; item++) {
		try {
			inputs.push({ item, input: operation.read.call(this, item) });
		} catch (error) {
			fail(error, item);
		}
	}
	if (!inputs.length) return [output];

	let written: INodeExecutionData[] | undefined;
	let failure: unknown;
	try {
		const write = async (db: PoolClient): Promise<INodeExecutionData[]> =>
			await operation.write.call(this, db, inputs);
		written = (await withPostgres.call(this, write, {
			anySchema: operation.anySchema,
		})) as INodeExecutionData[];
	} catch (error) {
		failure = error;
	}
	if (written) return [[...output, ...written].sort(byFirstItem)];
	for (const { item } of inputs) fail(failure, item);
	return [output.sort(byFirstItem)];
}

function byFirstItem(a: INodeExecutionData, b: INodeExecutionData): number {
	const first = (entry: INodeExecutionData) => {
		const paired = entry.pairedItem;
		const value = Array.isArray(paired) ? paired[0] : paired;
		return typeof value === 'number' ? value : (value?.item ?? 0);
	};
	return first(a) - first(b);
}
