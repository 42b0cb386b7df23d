import type {
	IDataObject,
	IExecuteFunctions,
	INode,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

/** One operation's room: its fields and what it does for one input item. */
export interface Operation {
	description: INodeProperties[];
	execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject | IDataObject[]>;
}

export type OperationMap = Record<string, Record<string, Operation>>;

/**
 * Runs the chosen resource/operation once per input item. Every output item is paired with
 * the input item it came from; with "Continue On Fail" a failing item becomes an `error`
 * item instead of stopping the node.
 */
export async function routeOperations(
	this: IExecuteFunctions,
	operations: OperationMap,
): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const output: INodeExecutionData[] = [];

	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		const resource = this.getNodeParameter('resource', itemIndex) as string;
		const operationName = this.getNodeParameter('operation', itemIndex) as string;
		const operation = operations[resource]?.[operationName];
		try {
			if (!operation) {
				throw new NodeOperationError(
					this.getNode(),
					`The operation "${operationName}" is not known for "${resource}"`,
					{
						itemIndex,
					},
				);
			}
			const result = await operation.execute.call(this, itemIndex);
			const results = Array.isArray(result) ? result : [result];
			for (const json of results) output.push({ json, pairedItem: { item: itemIndex } });
		} catch (error) {
			const nodeError = asNodeError(this.getNode(), error, itemIndex);
			if (!this.continueOnFail()) throw nodeError;
			output.push(failedItem(nodeError, itemIndex));
		}
	}
	return [output];
}

/**
 * The one shape of a failed item: its JSON holds nothing but `error` (and `details`), which is
 * what n8n sends to a node's error output under "Continue (using error output)". The input's
 * fields are not copied on purpose: an item that looks like a normal result would be routed on.
 */
export function failedItem(error: Error, itemIndex: number): INodeExecutionData {
	const details = (error as { description?: unknown }).description;
	return {
		json: { error: error.message, ...(typeof details === 'string' && details ? { details } : {}) },
		pairedItem: { item: itemIndex },
	};
}

/** True when the node is set to "Continue (using error output)". */
export function usesErrorOutput(node: INode): boolean {
	return node.onError === 'continueErrorOutput';
}

/** The error as n8n shows it best: node errors keep their HTTP details, others are wrapped. */
export function asNodeError(
	node: INode,
	error: unknown,
	itemIndex: number,
): NodeApiError | NodeOperationError {
	if (error instanceof NodeApiError || error instanceof NodeOperationError) {
		if (error.context.itemIndex === undefined) error.context.itemIndex = itemIndex;
		return error;
	}
	return new NodeOperationError(node, error as Error, { itemIndex });
}
