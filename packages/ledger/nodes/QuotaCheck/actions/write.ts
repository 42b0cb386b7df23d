import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { asNodeError, type Checked, type Results } from '../../../common/router';
import type { Queryable } from '../../../core/db';
import { RequestBoundError } from '../../../core/usage/requestBound';
import { missingSchemaError, withPostgres } from '../../postgres/pool';
import { QuotaInputError } from '../../../core/quota';
import { AmountTypeError, MixedUnitsError, NoQuotaError, type Routed } from './common';

/** Why a Reserve or Check that failed was sent to Exhausted: `quota.error_code` of the item. */
export const FAILURE_CODES = {
	input: 'QUOTA_INPUT_INVALID',
	noQuota: 'QUOTA_NOT_SET',
	database: 'QUOTA_STORE_UNAVAILABLE',
	failed: 'QUOTA_CHECK_FAILED',
} as const;

function databaseError(this: IExecuteFunctions, error: unknown, itemIndex: number) {
	const missing = missingSchemaError(this.getNode(), error, itemIndex);
	if (missing) return missing;
	if (
		error instanceof AmountTypeError ||
		error instanceof MixedUnitsError ||
		error instanceof QuotaInputError ||
		error instanceof NoQuotaError ||
		error instanceof RequestBoundError
	) {
		return new NodeOperationError(this.getNode(), `${error.message} (item ${itemIndex})`, {
			itemIndex,
		});
	}
	return asNodeError(this.getNode(), error, itemIndex);
}

/** Why a statement failed, for `quota.error_code`. */
function runFailureCode(error: unknown): string {
	if (error instanceof NoQuotaError) return FAILURE_CODES.noQuota;
	if (
		error instanceof AmountTypeError ||
		error instanceof MixedUnitsError ||
		error instanceof QuotaInputError ||
		error instanceof RequestBoundError
	) {
		return FAILURE_CODES.input;
	}
	return FAILURE_CODES.failed;
}

/**
 * The write of a Quota Check operation: one statement per item, each atomic by itself, in item
 * order; the item goes on with `quota` (and the request to send) added, to the output `run` chose.
 */
export function perQuotaItem<Input>(run: (db: Queryable, input: Input) => Promise<Routed>) {
	return async function (
		this: IExecuteFunctions,
		checked: Array<Checked<Input>>,
		results: Results,
	): Promise<void> {
		const items = this.getInputData();
		await withPostgres.call(this, async (client) => {
			for (const { item: i, input } of checked) {
				try {
					const routed = await run(client, input);
					const entries = routed.items?.map((result) => ({
						...items[i].json,
						quota: result as IDataObject,
					})) ?? [
						{
							...items[i].json,
							quota: routed.quota as IDataObject,
							...(routed.request ? { metered_request: routed.request as IDataObject } : {}),
						},
					];
					for (const json of entries) {
						results.emit(routed.output, { json: json as IDataObject, pairedItem: { item: i } });
					}
				} catch (error) {
					results.fail(databaseError.call(this, error, i), i, runFailureCode(error));
				}
			}
		});
	};
}
