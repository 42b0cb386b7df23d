import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { inTransaction } from '../../../core/db';
import { type Item, sourceResult } from '../../../core/fields';
import { mergeRows, type Row, type TableSpec, upsertRows } from '../../../core/upsert';
import { show } from '../../../common/fields';
import type { Operation } from '../../../common/operation';
import { inLedger } from '../../postgres/pool';

export interface StoreInput {
	rows: Row[];
}

/**
 * A Store operation: each item of a provider node's output becomes a normalized row; all rows are
 * written in one transaction, idempotently. One output item per stored row says whether it was
 * inserted, updated or unchanged.
 */
export function storeOperation<P extends string>(options: {
	resource: string;
	name: string;
	action: string;
	description: string;
	/** Each source node, and `from`: the resource its result is under (see `sourceResult`). */
	providers: Array<{ name: string; value: P; description: string; from: string }>;
	spec: (provider: P) => TableSpec;
	rows: (this: IExecuteFunctions, provider: P, item: Item, itemIndex: number) => Row[];
	extraFields?: INodeProperties[];
}): Operation<StoreInput & { provider: P }> {
	const here = show(options.resource, 'store');
	return {
		option: {
			name: options.name,
			value: 'store',
			action: options.action,
			description: options.description,
		},
		description: [
			// eslint-disable-next-line n8n-nodes-base/node-param-default-missing -- each store's first source
			{
				displayName: 'Source',
				name: 'provider',
				type: 'options',
				options: options.providers.map(({ name, value, description }) => ({
					name,
					value,
					description,
				})),
				default: options.providers[0].value,
				description: 'Which node and operation made the input items',
				displayOptions: here,
			},
			...(options.extraFields ?? []).map((field) => ({
				...field,
				displayOptions: {
					show: { ...here.show, ...(field.displayOptions?.show ?? {}) },
				},
			})),
		],
		check(itemIndex) {
			const provider = this.getNodeParameter('provider', itemIndex) as P;
			const item = this.getInputData()[itemIndex].json as Item;
			// An empty item is what a provider node with "Always Output Data" sends when it found
			// nothing: there is nothing to store, and the workflow goes on.
			if (Object.keys(item).length === 0) return { provider, rows: [] };
			const from = options.providers.find((source) => source.value === provider)?.from;
			const result = from ? sourceResult(item, [from]) : item;
			return { provider, rows: options.rows.call(this, provider, result, itemIndex) };
		},
		write: inLedger(async function (db, inputs) {
			const output: INodeExecutionData[] = [];
			const byProvider = new Map<P, Array<{ row: Row; item: number }>>();
			for (const { item, input } of inputs) {
				const list = byProvider.get(input.provider) ?? [];
				for (const row of input.rows) list.push({ row, item });
				byProvider.set(input.provider, list);
			}
			await inTransaction(db, async () => {
				for (const [provider, rows] of byProvider) {
					const spec = options.spec(provider);
					const merged = mergeRows(spec, rows);
					const stored = await upsertRows(
						db,
						spec,
						merged.map((entry) => entry.row),
					);
					merged.forEach((entry, index) => {
						output.push({
							json: { ...entry.row, stored: stored[index] },
							pairedItem: entry.items.map((item) => ({ item })),
						});
					});
				}
			});
			return output;
		}),
	};
}
