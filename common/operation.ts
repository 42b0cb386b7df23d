import type {
	IDataObject,
	IDisplayOptions,
	IExecuteFunctions,
	INodeProperties,
	INodePropertyOptions,
} from 'n8n-workflow';

import type { Checked, Results } from './router';

/**
 * The one contract of every operation of every node: how it is offered, its fields, and what it
 * does in two phases. `check` reads and validates one item and touches nothing (it names the
 * field that is wrong); `write` does the work for every item that passed: one request per item
 * for a provider, one transaction for the ledger. The dispatcher (`dispatch`) runs it.
 */
export interface Operation<Input = unknown, Prepared = unknown> {
	/** Its entry in the Operation list: name, value, action (and a description). */
	option: INodePropertyOptions & { action: string };
	/** Its fields. Each is shown for this operation only, unless it says otherwise. */
	description: INodeProperties[];
	/** Once per execution, before any item is read (loading prices, say). */
	prepare?(this: IExecuteFunctions): Promise<Prepared>;
	check(this: IExecuteFunctions, itemIndex: number, prepared: Prepared): Input;
	/** A thrown error fails every item given to it: nothing is reported as written that was not. */
	write(this: IExecuteFunctions, checked: Array<Checked<Input>>, results: Results): Promise<void>;
	/** Runs on the first item only (operations that act once for the whole input). */
	once?: boolean;
	/**
	 * What of the input item its output keeps (default: all of it). An operation that consumes
	 * another node's result (a created key's secret, once recorded) drops it here.
	 */
	kept?(this: IExecuteFunctions, json: IDataObject, itemIndex: number): IDataObject;
}

/** A provider operation's room: its fields and one call for one item. */
export interface PerItemRoom {
	description: INodeProperties[];
	execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject | IDataObject[]>;
}

/**
 * A provider operation: each item is one request, read and checked as it is sent (a request that
 * fails fails its item alone under Continue On Fail); every returned object is an output item.
 */
export function perItem(option: Operation['option'], room: PerItemRoom): Operation<null> {
	return {
		option,
		description: room.description,
		check: () => null,
		async write(checked, results) {
			for (const { item } of checked) {
				try {
					const result = await room.execute.call(this, item);
					for (const json of Array.isArray(result) ? result : [result]) {
						results.emit(0, { json, pairedItem: { item } });
					}
				} catch (error) {
					results.fail(error, item);
				}
			}
		},
	};
}

/**
 * Shows each field for the given resource and operation, as n8n's `updateDisplayOptions` does,
 * without overriding what a field says itself (a field shared by several operations keeps its
 * own list).
 */
export function showOnlyFor(
	where: { resource?: string; operation: string },
	fields: INodeProperties[],
): INodeProperties[] {
	const scope: NonNullable<IDisplayOptions['show']> = {
		...(where.resource ? { resource: [where.resource] } : {}),
		operation: [where.operation],
	};
	return fields.map((field) => ({
		...field,
		displayOptions: {
			...field.displayOptions,
			show: { ...scope, ...field.displayOptions?.show },
		},
	}));
}

/** A node's resources, each with its operations and the one chosen first. */
export interface Resource {
	/** Its entry in the Resource list. */
	option: INodePropertyOptions;
	default: string;
	operations: Operation[];
	/** Shown above the Operation list (what the provider's API cannot do, say). */
	notice?: string;
	/** Fields several of its operations share, each shown where it says. */
	fields?: INodeProperties[];
}

/** The node's Resource list, then each resource's Operation list and its operations' fields. */
export function describeResources(
	resources: Resource[],
	defaultResource: string,
): INodeProperties[] {
	const resourceList: INodeProperties = {
		displayName: 'Resource',
		name: 'resource',
		type: 'options',
		noDataExpression: true,
		options: resources.map((resource) => resource.option),
		default: defaultResource,
	};
	return [resourceList, ...resources.flatMap(describeResource)];
}

function describeResource(resource: Resource): INodeProperties[] {
	const value = resource.option.value as string;
	const show = { show: { resource: [value] } };
	const notice: INodeProperties[] = resource.notice
		? [
				{
					displayName: resource.notice,
					name: 'noCreateNotice',
					type: 'notice',
					default: '',
					displayOptions: show,
				},
			]
		: [];
	return [
		...notice,
		{
			displayName: 'Operation',
			name: 'operation',
			type: 'options',
			noDataExpression: true,
			displayOptions: show,
			options: resource.operations.map((operation) => operation.option),
			default: resource.default,
		},
		...(resource.fields ?? []),
		...resource.operations.flatMap((operation) =>
			showOnlyFor(
				{ resource: value, operation: operation.option.value as string },
				operation.description,
			),
		),
	];
}

/** A node without resources: its Operation list and every operation's fields. */
export function describeOperations(
	operations: Operation[],
	defaultOperation: string,
): INodeProperties[] {
	return [
		{
			displayName: 'Operation',
			name: 'operation',
			type: 'options',
			noDataExpression: true,
			options: operations.map((operation) => operation.option),
			default: defaultOperation,
		},
		...operations.flatMap((operation) =>
			showOnlyFor({ operation: operation.option.value as string }, operation.description),
		),
	];
}

/** Resource → operation value → operation, as the dispatcher looks them up. */
export function operationMap(resources: Resource[]): Record<string, Record<string, Operation>> {
	return Object.fromEntries(
		resources.map((resource) => [
			resource.option.value as string,
			Object.fromEntries(
				resource.operations.map((operation) => [operation.option.value as string, operation]),
			),
		]),
	);
}
