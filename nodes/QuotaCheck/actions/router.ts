import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { asNodeError } from '../../shared/router';
import { withPostgres } from '../../shared/postgres/pool';
import { AmountTypeError, NoQuotaError } from './common';
import { operations, ROUTING_OPERATIONS } from './index';

function databaseError(this: IExecuteFunctions, error: unknown, itemIndex: number) {
	const code = (error as { code?: string }).code;
	if (code === '42P01') {
		return new NodeOperationError(
			this.getNode(),
			`The quota tables do not exist in this database (item ${itemIndex})`,
			{ itemIndex, description: 'Apply workflows/schema.sql from n8n-nodes-keypilot to it once' },
		);
	}
	if (error instanceof AmountTypeError || error instanceof NoQuotaError) {
		return new NodeOperationError(this.getNode(), `${error.message} (item ${itemIndex})`, {
			itemIndex,
		});
	}
	return asNodeError(this.getNode(), error, itemIndex);
}

/**
 * Reads and checks every item's parameters before touching the database, so bad input changes
 * nothing; then runs one statement per item, each atomic by itself, in item order. Reserve and
 * Check send each item to Allowed (output 0) or Exhausted (output 1).
 */
export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const operationName = this.getNodeParameter('operation', 0) as string;
	const operation = operations[operationName];
	if (!operation) {
		throw new NodeOperationError(this.getNode(), `The operation "${operationName}" is not known`);
	}
	const outputs: INodeExecutionData[][] = ROUTING_OPERATIONS.includes(operationName)
		? [[], []]
		: [[]];
	const errorItem = (error: Error, itemIndex: number): INodeExecutionData => ({
		json: { ...items[itemIndex].json, error: error.message },
		pairedItem: { item: itemIndex },
	});

	const inputs: unknown[] = [];
	const failed = new Map<number, Error>();
	for (let i = 0; i < items.length; i++) {
		try {
			inputs[i] = operation.read.call(this, i);
		} catch (error) {
			if (!this.continueOnFail()) throw asNodeError(this.getNode(), error, i);
			failed.set(i, error as Error);
		}
	}

	await withPostgres.call(this, async (client) => {
		for (let i = 0; i < items.length; i++) {
			const early = failed.get(i);
			if (early) {
				outputs[0].push(errorItem(early, i));
				continue;
			}
			try {
				const routed = await operation.run(client, inputs[i]);
				outputs[routed.output].push({
					json: { ...items[i].json, quota: routed.quota as IDataObject },
					pairedItem: { item: i },
				});
			} catch (error) {
				const nodeError = databaseError.call(this, error, i);
				if (!this.continueOnFail()) throw nodeError;
				outputs[0].push(errorItem(nodeError, i));
			}
		}
	});
	return outputs;
}
