/**
 * Parameter sets that exercise every operation a node offers, read from the node's own
 * description: the required fields only; every field set (Return All on, every option of a
 * collection filled); and one set per choice of each options field. Field values come from
 * `samples` by name, or from the field's type.
 */
import type { IDataObject, INodeProperties, INodeTypeDescription } from 'n8n-workflow';

export interface OfferedOperation {
	resource: string;
	operation: string;
}

/** A field's value by name, or computed from the parameters chosen so far. */
export type Samples = Record<string, unknown | ((params: IDataObject) => unknown)>;

export function offeredOperations(description: INodeTypeDescription): OfferedOperation[] {
	const resources = description.properties.find((p) => p.name === 'resource');
	const offered: OfferedOperation[] = [];
	for (const resource of resources?.options ?? []) {
		const value = String((resource as { value: string }).value);
		const chooser = description.properties.find(
			(p) =>
				p.name === 'operation' &&
				(p.displayOptions?.show?.resource as string[] | undefined)?.includes(value),
		);
		for (const operation of chooser?.options ?? [])
			offered.push({ resource: value, operation: String((operation as { value: string }).value) });
	}
	return offered;
}

function withDefaults(properties: INodeProperties[], params: IDataObject): IDataObject {
	const all: IDataObject = { ...params };
	for (const property of properties)
		if (all[property.name] === undefined && property.default !== undefined)
			all[property.name] = property.default as IDataObject[string];
	return all;
}

function isVisible(property: INodeProperties, params: IDataObject): boolean {
	const { show = {}, hide = {} } = property.displayOptions ?? {};
	const shown = Object.entries(show).every(([name, allowed]) =>
		(allowed as unknown[]).includes(params[name]),
	);
	const hidden = Object.entries(hide).some(([name, values]) =>
		(values as unknown[]).includes(params[name]),
	);
	return shown && !hidden;
}

function sample(
	property: INodeProperties,
	samples: Samples,
	full: boolean,
	params: IDataObject,
): unknown {
	if (property.name in samples) {
		const value = samples[property.name];
		return typeof value === 'function' ? (value as (p: IDataObject) => unknown)(params) : value;
	}
	switch (property.type) {
		case 'boolean':
			return full ? true : property.default;
		case 'number':
			return property.default || property.typeOptions?.minValue || 1;
		case 'options':
			return property.default;
		case 'resourceLocator':
			// As n8n stores a typed ID.
			return { __rl: true, mode: 'id', value: 'sample' };
		case 'multiOptions':
			return full ? (property.options ?? []).map((o) => (o as { value: string }).value) : [];
		case 'collection': {
			if (!full) return {};
			const values: IDataObject = {};
			// Options of a collection may depend on a top-level field (`/usageType`).
			for (const option of (property.options ?? []) as INodeProperties[]) {
				const rootShow = Object.entries(option.displayOptions?.show ?? {});
				const shown = rootShow.every(([name, allowed]) =>
					(allowed as unknown[]).includes(params[name.replace(/^\//, '')]),
				);
				if (shown)
					values[option.name] = sample(option, samples, true, params) as IDataObject[string];
			}
			return values;
		}
		case 'fixedCollection': {
			if (!full) return {};
			const values: IDataObject = {};
			for (const group of (property.options ?? []) as Array<{
				name: string;
				values: INodeProperties[];
			}>) {
				const entry: IDataObject = {};
				for (const field of group.values)
					entry[field.name] = sample(field, samples, true, params) as IDataObject[string];
				values[group.name] = property.typeOptions?.multipleValues ? [entry] : entry;
			}
			return values;
		}
		default:
			return property.default !== '' && property.default !== undefined
				? property.default
				: 'sample';
	}
}

/** Fills the visible fields (all of them, or the required ones) until nothing new appears. */
function fill(
	properties: INodeProperties[],
	fixed: IDataObject,
	samples: Samples,
	full: boolean,
): IDataObject {
	const params: IDataObject = { ...fixed };
	for (let round = 0; round < 5; round++) {
		const before = JSON.stringify(params);
		const current = withDefaults(properties, params);
		for (const property of properties) {
			if (property.name in params || !isVisible(property, current)) continue;
			if (property.type === 'notice') continue;
			// n8n always sends an options field's choice, so the required-only set has it too.
			const always = property.required || property.type === 'options';
			if (!full && !always && !(property.name in samples)) continue;
			params[property.name] = sample(property, samples, full, current) as IDataObject[string];
		}
		if (JSON.stringify(params) === before) break;
	}
	return params;
}

export function variants(
	description: INodeTypeDescription,
	target: OfferedOperation,
	samples: Samples,
): IDataObject[] {
	const properties = description.properties.filter(
		(p) => p.name !== 'resource' && p.name !== 'operation',
	);
	const fixed: IDataObject = { ...target };
	const sets = [fill(properties, fixed, samples, false), fill(properties, fixed, samples, true)];
	const current = withDefaults(properties, sets[0]);
	for (const property of properties) {
		if (property.type !== 'options' || !isVisible(property, current)) continue;
		for (const option of property.options ?? []) {
			const value = (option as { value: string }).value;
			if (value === property.default) continue;
			const choice = { ...fixed, [property.name]: value };
			sets.push(fill(properties, choice, samples, false), fill(properties, choice, samples, true));
		}
	}
	const unique = new Map(sets.map((set) => [JSON.stringify(set), set]));
	return [...unique.values()];
}
