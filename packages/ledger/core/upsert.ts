/**
 * Idempotent writes of normalized rows: insert, or update only when a value differs, so running
 * a sync again changes nothing (not even its synced-at time). Pure: the caller passes a connection.
 */
import { addDecimals } from '../common/money';
import type { Queryable } from './db';

export type Row = Record<string, string | number | boolean | null>;

export interface TableSpec {
	table: string;
	/** The primary key's columns. */
	key: string[];
	/** The columns a later sync may change. */
	values: string[];
	/** A timestamp column set to now() on insert and whenever a value changes. */
	touched?: string;
	/** Columns summed when several input items describe the same row (costs of one bucket). */
	summed?: string[];
	/** Columns a null does not overwrite: what this source does not know, another one may. */
	keptWhenNull?: string[];
}

export type Stored = 'inserted' | 'updated' | 'unchanged';

export interface Merged {
	row: Row;
	/** Input items that made up the row. */
	items: number[];
}

/** One row per primary key; rows with the same key are summed (`summed`) or the last one kept. */
export function mergeRows(spec: TableSpec, rows: Array<{ row: Row; item: number }>): Merged[] {
	const byKey = new Map<string, Merged>();
	for (const { row, item } of rows) {
		const id = JSON.stringify(spec.key.map((column) => row[column]));
		const seen = byKey.get(id);
		if (!seen) {
			byKey.set(id, { row: { ...row }, items: [item] });
			continue;
		}
		seen.items.push(item);
		for (const column of spec.values) {
			if (spec.summed?.includes(column)) {
				const a = seen.row[column];
				const b = row[column];
				seen.row[column] = a === null || b === null ? (a ?? b) : addDecimals(String(a), String(b));
			} else {
				seen.row[column] = row[column];
			}
		}
	}
	return [...byKey.values()];
}

function upsertSql(spec: TableSpec): string {
	const columns = [...spec.key, ...spec.values];
	const placeholders = columns.map((_, i) => `$${i + 1}`);
	const touched = spec.touched ? [spec.touched] : [];
	const incoming = (column: string) =>
		spec.keptWhenNull?.includes(column)
			? `COALESCE(EXCLUDED.${column}, t.${column})`
			: `EXCLUDED.${column}`;
	const set = [
		...spec.values.map((column) => `${column} = ${incoming(column)}`),
		...touched.map((column) => `${column} = EXCLUDED.${column}`),
	];
	const changed = spec.values.length
		? `WHERE (${spec.values.map((c) => `t.${c}`).join(', ')}) IS DISTINCT FROM (${spec.values.map(incoming).join(', ')})`
		: '';
	return `INSERT INTO ${spec.table} AS t (${[...columns, ...touched].join(', ')})
VALUES (${[...placeholders, ...touched.map(() => 'now()')].join(', ')})
ON CONFLICT (${spec.key.join(', ')}) DO ${
		spec.values.length ? `UPDATE SET ${set.join(', ')} ${changed}` : 'NOTHING'
	}
RETURNING (xmax = 0) AS inserted`;
}

/** Writes the rows (the caller holds the transaction) and says what happened to each. */
export async function upsertRows(db: Queryable, spec: TableSpec, rows: Row[]): Promise<Stored[]> {
	const sql = upsertSql(spec);
	const columns = [...spec.key, ...spec.values];
	const stored: Stored[] = [];
	for (const row of rows) {
		const { rows: result } = await db.query<{ inserted: boolean }>(
			sql,
			columns.map((column) => row[column]),
		);
		stored.push(result.length === 0 ? 'unchanged' : result[0].inserted ? 'inserted' : 'updated');
	}
	return stored;
}
