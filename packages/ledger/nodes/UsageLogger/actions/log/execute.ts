/** Log: every item read and checked first, then the batch written (and settled) in one transaction. */
import type { IDataObject } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import { describeQuota, settleWithUsage, type UsageSettlement } from '../../../../core/quota';
import { insertUsageRows } from '../../../../core/usage/store';
import { inTransaction } from '../../../../core/db';
import { missingSchemaError, withPostgres } from '../../../postgres/pool';
import type { Operation } from '../../../../common/operation';
import { loadPrices, type Prices } from '../../../pricing/prices';
import { description } from './description';
import { prepare, type Prepared } from './read';

function settlementOutput(settlement: UsageSettlement): IDataObject {
	const { row, ...rest } = settlement;
	return { ...rest, ...(row ? describeQuota(row) : {}) } as unknown as IDataObject;
}

/**
 * Reads every item first. Without Continue On Fail, one bad item fails the node and nothing of
 * the batch is written; with it, bad items become error items and the rest are written. All rows
 * of the execution go to Postgres in one transaction, with the settlements of their reservations:
 * a batch that cannot be written fails every item (a thrown error under Continue would pass the
 * input on as if it had been logged and charged).
 */
export const log: Operation<Prepared, Prices> = {
	option: {
		name: 'Log',
		value: 'log',
		action: 'Log the usage of requests',
		description:
			'Normalize, price and store each request; outputs the items with their usage and cost',
	},
	description,
	prepare: loadPrices,

	check(itemIndex, prices) {
		return prepare.call(this, itemIndex, prices);
	},

	async write(checked, results) {
		const items = this.getInputData();
		const settlements = new Map<number, UsageSettlement>();
		await withPostgres.call(this, async (client) => {
			try {
				// Usage and its charge are written together, or neither is.
				await inTransaction(client, async () => {
					await insertUsageRows(
						client,
						checked.map(({ input }) => input.row),
					);
					for (const { item, input } of checked) {
						if (!input.settle) continue;
						settlements.set(
							item,
							await settleWithUsage(
								client,
								input.settle.subject,
								input.settle.reservationId,
								input.row,
							),
						);
					}
				});
			} catch (error) {
				throw (
					missingSchemaError(this.getNode(), error) ??
					new NodeOperationError(
						this.getNode(),
						`Could not write the usage rows: ${(error as Error).message}`,
						{ description: 'Nothing of this batch was written' },
					)
				);
			}
		});

		// A model without a price is worth a look at the node, not only inside each item.
		const unpriced = new Set(
			checked
				.map(({ input }) => input.output.warning)
				.filter((warning): warning is string => typeof warning === 'string'),
		);
		if (unpriced.size)
			this.addExecutionHints?.(
				...[...unpriced].map((message) => ({ message, location: 'outputPane' as const })),
			);

		for (const { item, input } of checked) {
			const settlement = settlements.get(item);
			results.emit(0, {
				json: {
					...items[item].json,
					usage: input.output,
					...(settlement ? { quota: settlementOutput(settlement) } : {}),
				},
				pairedItem: { item },
			});
		}
	},
};
