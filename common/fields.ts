import type { IDisplayOptions, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { InvalidDateError, toUnixSeconds } from './time';

export function show(resource: string, operation: string | string[]): IDisplayOptions {
	return {
		show: { resource: [resource], operation: Array.isArray(operation) ? operation : [operation] },
	};
}

/**
 * A required id field such as "Project ID", shown for the given operations. With `search` (the
 * name of a list-search method of the node) it is a resource locator: pick from a searchable
 * list, or type the ID.
 */
export function idField(
	name: string,
	displayName: string,
	resource: string,
	operation: string | string[],
	placeholder: string,
	search?: string,
): INodeProperties {
	return locatorField({
		name,
		displayName,
		placeholder,
		search,
		display: show(resource, operation),
	});
}

export function locatorField(options: {
	name: string;
	displayName: string;
	placeholder: string;
	search?: string;
	display: IDisplayOptions;
	required?: boolean;
}): INodeProperties {
	const { name, displayName, placeholder, search, display, required = true } = options;
	if (!search) {
		return {
			displayName,
			name,
			type: 'string',
			required,
			default: '',
			placeholder,
			displayOptions: display,
		};
	}
	return {
		displayName,
		name,
		type: 'resourceLocator',
		required,
		default: { mode: 'list', value: '' },
		displayOptions: display,
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				typeOptions: { searchListMethod: search, searchable: true },
			},
			{ displayName: 'ID', name: 'id', type: 'string', placeholder },
		],
	};
}

/** A parameter's text: a resource locator's value, a string or a number; '' when absent. */
export function parameterText(this: IExecuteFunctions, name: string, itemIndex: number): string {
	const value = this.getNodeParameter(name, itemIndex, '', { extractValue: true }) as unknown;
	const bare =
		value && typeof value === 'object' && 'value' in value
			? (value as { value: unknown }).value
			: value;
	return typeof bare === 'string' ? bare.trim() : typeof bare === 'number' ? String(bare) : '';
}

/** "Return All" and "Limit", shown for one resource's list operation. */
export function returnAllOrLimit(
	resource: string,
	operation: string,
	maxLimit?: number,
): INodeProperties[] {
	const show = { show: { resource: [resource], operation: [operation] } };
	return [
		{
			displayName: 'Return All',
			name: 'returnAll',
			type: 'boolean',
			default: false,
			description: 'Whether to return all results or only up to a given limit',
			displayOptions: show,
		},
		{
			displayName: 'Limit',
			name: 'limit',
			type: 'number',
			default: 50,
			typeOptions: { minValue: 1, ...(maxLimit ? { maxValue: maxLimit } : {}) },
			description: 'Max number of results to return',
			displayOptions: { show: { ...show.show, returnAll: [false] } },
		},
	];
}

/** The item limit chosen by the user, or undefined for "Return All"; checks the range. */
export function readLimit(this: IExecuteFunctions, itemIndex: number): number | undefined {
	if (this.getNodeParameter('returnAll', itemIndex, false) as boolean) return undefined;
	const limit = this.getNodeParameter('limit', itemIndex, 50) as number;
	if (!Number.isInteger(limit) || limit < 1) {
		throw new NodeOperationError(
			this.getNode(),
			`Limit must be a whole number of at least 1, got ${limit}`,
			{
				itemIndex,
				description: 'Set "Limit" to 1 or more, or switch on "Return All"',
			},
		);
	}
	return limit;
}

/** A required text parameter, trimmed; a clear error names the field when it is empty. */
export function requiredString(
	this: IExecuteFunctions,
	name: string,
	label: string,
	itemIndex: number,
): string {
	const text = parameterText.call(this, name, itemIndex);
	if (!text) {
		throw new NodeOperationError(this.getNode(), `"${label}" is required (item ${itemIndex})`, {
			itemIndex,
			description: `Enter a value for "${label}"`,
		});
	}
	return text;
}

/** A date parameter as Unix seconds; a clear error names the field when it cannot be read. */
export function dateSeconds(
	this: IExecuteFunctions,
	name: string,
	label: string,
	itemIndex: number,
): number | undefined {
	const value = this.getNodeParameter(name, itemIndex, '') as unknown;
	if (value === '' || value === undefined || value === null) return undefined;
	try {
		return toUnixSeconds(value);
	} catch (error) {
		const reason = error instanceof InvalidDateError ? error.message : String(error);
		throw new NodeOperationError(
			this.getNode(),
			`"${label}" is not a valid date (item ${itemIndex})`,
			{
				itemIndex,
				description: reason,
			},
		);
	}
}

/** Start and end of a report period; the end must come after the start. */
export function timeRange(
	this: IExecuteFunctions,
	itemIndex: number,
	startField = 'startTime',
	endField = 'endTime',
): { start: number; end?: number } {
	const start = dateSeconds.call(this, startField, 'Start Time', itemIndex);
	if (start === undefined) {
		throw new NodeOperationError(this.getNode(), `"Start Time" is required (item ${itemIndex})`, {
			itemIndex,
		});
	}
	const end = dateSeconds.call(this, endField, 'End Time', itemIndex);
	if (end !== undefined && end <= start) {
		throw new NodeOperationError(
			this.getNode(),
			`"End Time" must be after "Start Time" (item ${itemIndex})`,
			{
				itemIndex,
				description: `Start Time is ${new Date(start * 1000).toISOString()}, End Time is ${new Date(end * 1000).toISOString()}`,
			},
		);
	}
	return { start, end };
}

/** Splits a comma-separated list parameter ("a, b,c") into trimmed, non-empty values. */
export function csvList(value: unknown): string[] {
	if (Array.isArray(value))
		return value
			.map(String)
			.map((v) => v.trim())
			.filter(Boolean);
	if (typeof value !== 'string') return [];
	return value
		.split(',')
		.map((v) => v.trim())
		.filter(Boolean);
}
