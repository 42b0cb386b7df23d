/** Log: every item read and checked first, then the batch written (and settled) in one transaction. */
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import { describeQuota, settleWithUsage, type UsageSettlement } from '../../../shared/core/quota';
import { insertUsageRows } from '../../../shared/core/usage/store';
import { UsageInputError } from '../../../shared/core/usage/types';
import { withPostgres } from '../../../shared/postgres/pool';
import { SET_UP_HINT } from '../../../shared/core/ledger/schema';
import { asNodeError, failedItem } from '../../../shared/router';
import { loadPrices } from '../../prices';
import { prepare, type Prepared } from './read';

function settlementOutput(settlement: UsageSettlement): IDataObject {
	const { row, ...rest } = settlement;
	return { ...rest, ...(row ? describeQuota(row) : {}) } as unknown as IDataObject;
}

/**
 * Reads every item first. Without Continue On Fail, one bad item fails the node and nothing of
 * the batch is written; with it, bad items become error items and the rest are written. All rows
 * of the execution go to Postgres in one transaction.
 */
export async function log(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const prices = await loadPrices.call(this);
	const prepared: Array<Prepared | Error> = [];
	for (let i = 0; i < items.length; i++) {
		try {
			prepared.push(prepare.call(this, i, prices));
		} catch (error) {
			const failure =
				error instanceof UsageInputError
					? new NodeOperationError(this.getNode(), `${error.message} (item ${i})`, {
							itemIndex: i,
							description: `Check "${error.field}"`,
						})
					: asNodeError(this.getNode(), error, i);
			if (!this.continueOnFail()) throw failure;
			prepared.push(failure);
		}
	}

	const rows = prepared
		.filter((entry): entry is Prepared => !(entry instanceof Error))
		.map((entry) => entry.row);
	const settlements = new Map<number, UsageSettlement>();
	// Under Continue, a batch that could not be written fails every item in n8n's error shape:
	// a thrown error would pass the input on as if it had been logged (and charged).
	let writeFailure: Error | undefined;
	if (rows.length) {
		try {
			await withPostgres.call(this, async (client) => {
				try {
					await client.query('BEGIN');
					await insertUsageRows(client, rows);
					// Usage and its charge are written together, or neither is.
					for (const [i, entry] of prepared.entries()) {
						if (entry instanceof Error || !entry.settle) continue;
						settlements.set(
							i,
							await settleWithUsage(
								client,
								entry.settle.subject,
								entry.settle.reservationId,
								entry.row,
							),
						);
					}
					await client.query('COMMIT');
				} catch (error) {
					await client.query('ROLLBACK').catch(() => undefined);
					const code = (error as { code?: string }).code;
					throw new NodeOperationError(
						this.getNode(),
						code === '42P01'
							? `The usage table does not exist in this database. ${SET_UP_HINT}`
							: `Could not write the usage rows: ${(error as Error).message}`,
						{ description: 'Nothing of this batch was written' },
					);
				}
			});
		} catch (error) {
			const failure = asNodeError(this.getNode(), error, 0);
			if (!this.continueOnFail()) throw failure;
			writeFailure = failure;
			settlements.clear();
		}
	}

	// A model without a price is worth a look at the node, not only inside each item.
	if (!writeFailure) {
		const unpriced = new Set(
			prepared
				.filter((entry): entry is Prepared => !(entry instanceof Error))
				.map((entry) => entry.output.warning)
				.filter((warning): warning is string => typeof warning === 'string'),
		);
		if (unpriced.size)
			this.addExecutionHints?.(
				...[...unpriced].map((message) => ({ message, location: 'outputPane' as const })),
			);
	}

	return [
		prepared.map((entry, i) =>
			entry instanceof Error || writeFailure
				? failedItem(entry instanceof Error ? entry : writeFailure!, i)
				: {
						json: {
							...items[i].json,
							usage: entry.output,
							...(settlements.has(i) ? { quota: settlementOutput(settlements.get(i)!) } : {}),
						},
						pairedItem: { item: i },
					},
		),
	];
}
