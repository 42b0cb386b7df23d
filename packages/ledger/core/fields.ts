/**
 * Reading one field of a provider node's output item, with an error that names the field and
 * what was expected. Pure: no n8n import.
 */
import { toDecimal } from '../common/money';

export type Item = Record<string, unknown>;

export class LedgerInputError extends Error {
	constructor(
		readonly field: string,
		expected: string,
		value: unknown,
	) {
		super(`"${field}" must be ${expected}, got ${describe(value)}`);
		this.name = 'LedgerInputError';
	}
}

function describe(value: unknown): string {
	if (value === undefined) return 'nothing';
	const text = JSON.stringify(value) ?? String(value);
	return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/** The value at a dotted path ("api_key.value"). */
export function at(item: Item, path: string): unknown {
	let value: unknown = item;
	for (const part of path.split('.')) {
		if (value === null || typeof value !== 'object') return undefined;
		value = (value as Item)[part];
	}
	return value;
}

const present = (value: unknown) => value !== undefined && value !== null && value !== '';

/** A non-empty string (numbers are accepted as their decimal text, as IDs sometimes are). */
export function text(item: Item, path: string): string {
	const value = at(item, path);
	if (typeof value === 'string' && value.trim() !== '') return value;
	if (typeof value === 'number' && Number.isFinite(value)) return String(value);
	throw new LedgerInputError(path, 'a non-empty string', value);
}

/** A string, or '' when absent (the ledger's "none" for text key columns). */
export function optionalText(item: Item, path: string): string {
	const value = at(item, path);
	if (!present(value)) return '';
	if (typeof value === 'string') return value;
	if (typeof value === 'number' && Number.isFinite(value)) return String(value);
	throw new LedgerInputError(path, 'a string', value);
}

export function nullableText(item: Item, path: string): string | null {
	return optionalText(item, path) || null;
}

/**
 * An exact decimal from a decimal string (kept as the provider wrote it, "0.00" included) or a
 * JSON number (its shortest exact text).
 */
export function decimal(item: Item, path: string): string {
	const value = at(item, path);
	if (typeof value === 'string' || typeof value === 'number') {
		try {
			const canonical = toDecimal(value);
			return typeof value === 'string' ? value.trim() : canonical;
		} catch {
			// reported below
		}
	}
	throw new LedgerInputError(path, 'a decimal amount such as "12.34"', value);
}

export function nullableDecimal(item: Item, path: string): string | null {
	return present(at(item, path)) ? decimal(item, path) : null;
}

/** A whole number of tokens or requests; absent is null. */
export function nullableCount(item: Item, path: string): string | null {
	const value = at(item, path);
	if (!present(value)) return null;
	const digits = typeof value === 'number' ? String(value) : value;
	if (typeof digits === 'string' && /^\d+$/.test(digits)) return digits;
	throw new LedgerInputError(path, 'a whole number of at least 0', value);
}

const ISO_DAY = /^(\d{4})-(\d{2})-(\d{2})/;

/** "YYYY-MM-DD" from a date or ISO 8601 timestamp string. */
export function day(item: Item, path: string): string {
	const value = at(item, path);
	const match = typeof value === 'string' ? ISO_DAY.exec(value) : null;
	if (match && !Number.isNaN(Date.parse(`${match[0]}T00:00:00Z`))) return match[0];
	throw new LedgerInputError(path, 'a date such as "2026-11-01"', value);
}

/** "YYYY-MM-01" from a "YYYY-MM" billing period. */
export function month(item: Item, path: string): string {
	const value = at(item, path);
	if (typeof value === 'string' && /^\d{4}-(0[1-9]|1[0-2])$/.test(value)) return `${value}-01`;
	throw new LedgerInputError(path, 'a month such as "2026-11"', value);
}

/**
 * An instant as ISO 8601 text: ISO strings, Unix seconds (OpenAI) and Volcengine's compact
 * "20261101T120000Z" form. Absent is null.
 */
export function nullableInstant(item: Item, path: string): string | null {
	const value = at(item, path);
	if (!present(value)) return null;
	let ms = NaN;
	if (typeof value === 'number') ms = value * 1000;
	else if (typeof value === 'string') {
		const compact = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
		ms = compact
			? Date.UTC(+compact[1], +compact[2] - 1, +compact[3], +compact[4], +compact[5], +compact[6])
			: Date.parse(value);
	}
	if (Number.isFinite(ms)) return new Date(ms).toISOString();
	throw new LedgerInputError(path, 'a time (ISO 8601, Unix seconds or 20261101T120000Z)', value);
}

export function instant(item: Item, path: string): string {
	const value = nullableInstant(item, path);
	if (value === null)
		throw new LedgerInputError(path, 'a time such as "2026-11-01T00:00:00Z"', undefined);
	return value;
}

const isRecord = (value: unknown): value is Item =>
	value !== null && typeof value === 'object' && !Array.isArray(value);

/**
 * The provider's object in an item: KeyPilot's provider nodes add their result under their
 * resource's name (`{ …, key: {…} }`), so the first of `keys` that holds an object is it; an item
 * without one is taken whole (an HTTP Request node's output, say).
 */
export function sourceResult(item: Item, keys: readonly string[]): Item {
	for (const key of keys) {
		const nested = item[key];
		if (isRecord(nested)) return nested;
	}
	return item;
}

/**
 * The item without the provider result `sourceResult` found in it (a recorded secret, say). An
 * item without one was the result itself (`whenAbsent: 'all'`: nothing is left of it) or holds
 * no result at all (`'nothing'`: it is kept whole).
 */
export function withoutSource(
	item: Item,
	keys: readonly string[],
	whenAbsent: 'all' | 'nothing',
): Item {
	for (const key of keys) {
		if (isRecord(item[key])) {
			const rest = { ...item };
			delete rest[key];
			return rest;
		}
	}
	return whenAbsent === 'all' ? {} : item;
}
