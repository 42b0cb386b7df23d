/** Reading token counts and text out of parsed provider JSON. */
import { wholeCount } from '../types';

export type Json = Record<string, unknown>;

export function isObject(value: unknown): value is Json {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function at(object: unknown, ...path: string[]): unknown {
	let value = object;
	for (const key of path) value = isObject(value) ? value[key] : undefined;
	return value;
}

/** A token count at a path of the response: a whole number of zero or more, or null when absent. */
export function count(object: unknown, ...path: string[]): number | null {
	return wholeCount(at(object, ...path), path.join('.'));
}

export function text(value: unknown): string | null {
	return typeof value === 'string' && value ? value : null;
}

export function minus(total: number | null, ...parts: Array<number | null>): number | null {
	if (total === null) return null;
	return Math.max(
		0,
		parts.reduce<number>((rest, part) => rest - (part ?? 0), total),
	);
}

export function plus(...parts: Array<number | null>): number | null {
	return parts.every((part) => part === null)
		? null
		: parts.reduce<number>((sum, part) => sum + (part ?? 0), 0);
}

export function parseJson(data: string): Json | undefined {
	try {
		const value = JSON.parse(data) as unknown;
		return isObject(value) ? value : undefined;
	} catch {
		return undefined;
	}
}
