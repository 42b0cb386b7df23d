import type { IDataObject, IExecuteFunctions, INode, INodeExecutionData } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import type { Operation } from './operation';

/**
 * Runs the chosen resource/operation of a node once per input item. Every output item keeps the
 * input item it came from and carries the operation's result under the resource's name
 * (`{ ...input, serviceAccount: {…} }`); with "Continue On Fail" a failing item becomes an
 * `error` item instead of stopping the node.
 */
export async function routeOperations(
	this: IExecuteFunctions,
	operations: Record<string, Record<string, Operation>>,
	options: DispatchOptions = {},
): Promise<INodeExecutionData[][]> {
	const resource = this.getNodeParameter('resource', 0) as string;
	const operationName = this.getNodeParameter('operation', 0) as string;
	return await dispatch.call(
		this,
		operations[resource]?.[operationName],
		{ resource, operation: operationName },
		{ resultKey: resource, ...options },
	);
}

/**
 * The output convention: a result that came from one input item is added to that item under
 * `key`; a result made of several items (a store's merged row, a set-up) stands alone under `key`.
 * The operation may drop from the kept item what it consumed (a secret it recorded).
 */
export function keepInput(
	items: INodeExecutionData[],
	entry: INodeExecutionData,
	key: string,
	kept: (json: IDataObject, itemIndex: number) => IDataObject = (json) => json,
): INodeExecutionData {
	const paired = entry.pairedItem;
	const sources = (Array.isArray(paired) ? paired : [paired]).filter(
		(source) => source !== undefined,
	);
	const only =
		sources.length === 1 ? (typeof sources[0] === 'number' ? sources[0] : sources[0].item) : -1;
	const input = only >= 0 ? items[only] : undefined;
	if (!input) return { ...entry, json: { [key]: entry.json } };
	return {
		...entry,
		json: { ...kept(input.json, only), [key]: entry.json },
		...(entry.binary || !input.binary ? {} : { binary: input.binary }),
	};
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

export interface Checked<Input> {
	item: number;
	input: Input;
}

/** What an operation's write phase reports: items for an output, or failures of single items. */
export interface Results {
	emit(output: number, item: INodeExecutionData): void;
	/** One item failed while the others go on (its error shape is the dispatcher's). */
	fail(error: unknown, itemIndex: number, code?: string): void;
}

/** Why an item failed, for nodes that say so in their own output (Quota Check's error_code). */
export type Phase = 'input' | 'write';

export interface DispatchOptions {
	/** How many outputs the operation has (Quota Check's Allowed/Exhausted: 2). */
	outputs?: number;
	/** Errors that describe bad input: their message gets the item's number. */
	inputErrors?: Array<abstract new (...args: never[]) => Error>;
	/**
	 * Where and how a failed item goes when the node continues on fail. By default it is n8n's
	 * error shape (only `error` and `details`) on the first output, which n8n sends on to the
	 * error output under "Continue (using error output)".
	 */
	failure?(
		this: IExecuteFunctions,
		error: Error,
		itemIndex: number,
		code: string | undefined,
	): { output: number; item: INodeExecutionData };
	/** The code a failure of this phase carries when `fail` was not given one. */
	codes?: Partial<Record<Phase | 'unavailable', string>>;
	/** Where each result goes on the kept input item (see `keepInput`); unset: results as they are. */
	resultKey?: string;
}

const pairedIndex = (entry: INodeExecutionData) => {
	const paired = entry.pairedItem;
	const first = Array.isArray(paired) ? paired[0] : paired;
	return typeof first === 'number' ? first : (first?.item ?? 0);
};

/**
 * The one way every node runs an operation. An unknown operation fails every item. Items are
 * checked first; without Continue On Fail any failure stops the node before anything is written.
 * Under Continue a failed item leaves in the failure shape, the others go on, and each output
 * keeps item order.
 */
export async function dispatch<Input, Prepared>(
	this: IExecuteFunctions,
	operation: Operation<Input, Prepared> | undefined,
	describe: { resource?: string; operation: string },
	options: DispatchOptions = {},
): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const outputs: INodeExecutionData[][] = Array.from({ length: options.outputs ?? 1 }, () => []);
	const continuing = this.continueOnFail();
	const node = this.getNode();

	const asFailure = (error: unknown, itemIndex: number) => {
		const input = options.inputErrors?.some((type) => error instanceof type);
		const field = (error as { field?: unknown }).field;
		return input
			? new NodeOperationError(node, `${(error as Error).message} (item ${itemIndex})`, {
					itemIndex,
					...(typeof field === 'string' ? { description: `Check "${field}"` } : {}),
				})
			: asNodeError(node, error, itemIndex);
	};
	const record = (nodeError: Error, itemIndex: number, code?: string) => {
		const routed = options.failure
			? options.failure.call(this, nodeError, itemIndex, code)
			: { output: 0, item: failedItem(nodeError, itemIndex) };
		outputs[routed.output].push(routed.item);
	};
	const fail = (error: unknown, itemIndex: number, code?: string) => {
		const nodeError = asFailure(error, itemIndex);
		if (!continuing) throw nodeError;
		record(nodeError, itemIndex, code);
	};

	if (!operation) {
		const where = describe.resource ? ` for "${describe.resource}"` : '';
		const unknown = new NodeOperationError(
			node,
			`The operation "${describe.operation}" is not known${where}`,
		);
		for (let i = 0; i < items.length; i++) fail(unknown, i, options.codes?.input);
		return outputs;
	}

	let prepared: Prepared;
	try {
		prepared = (await operation.prepare?.call(this)) as Prepared;
	} catch (error) {
		for (let i = 0; i < items.length; i++) fail(error, i, options.codes?.input);
		return outputs;
	}

	const checked: Array<Checked<Input>> = [];
	for (let item = 0; item < (operation.once ? Math.min(1, items.length) : items.length); item++) {
		try {
			checked.push({ item, input: operation.check.call(this, item, prepared) });
		} catch (error) {
			fail(error, item, options.codes?.input);
		}
	}
	if (!checked.length) return outputs;

	const answered = new Set<number>();
	let stop: Error | undefined;
	const results: Results = {
		emit: (output, entry) => {
			const kept = operation.kept;
			outputs[output].push(
				options.resultKey
					? keepInput(
							items,
							entry,
							options.resultKey,
							kept && ((json, itemIndex) => kept.call(this, json, itemIndex)),
						)
					: entry,
			);
			answered.add(pairedIndex(entry));
		},
		fail: (error, itemIndex, code) => {
			answered.add(itemIndex);
			const nodeError = asFailure(error, itemIndex);
			if (!continuing) {
				// Without Continue On Fail the node stops here, whatever the write does with it.
				stop = nodeError;
				throw nodeError;
			}
			record(nodeError, itemIndex, code ?? options.codes?.write);
		},
	};
	let failure: unknown;
	let failed = false;
	try {
		await operation.write.call(this, checked, results);
	} catch (error) {
		failure = error;
		failed = true;
	}
	if (stop) throw stop;
	if (failed) {
		// Items already answered keep their answer (a per-item write that was committed); every
		// other one fails with the error that stopped the write.
		for (const { item } of checked) {
			if (!answered.has(item)) fail(failure, item, options.codes?.unavailable);
		}
	}
	return outputs.map((output) => output.sort((a, b) => pairedIndex(a) - pairedIndex(b)));
}
