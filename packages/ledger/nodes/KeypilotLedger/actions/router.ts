import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { LedgerInputError } from '../../../core/fields';
import { routeOperations } from '../../../common/router';
import { operations } from './index';

/**
 * Checks every item first, then writes: an item whose input is wrong fails by itself (named, with
 * the field) before anything is written, and the items that passed are written together. Without
 * Continue On Fail any failure stops the node with nothing written. Under Continue a failed item
 * has n8n's error shape (so "Continue (using error output)" routes it there), and a write that
 * failed fails every item it held: nothing is reported as stored that was not.
 */
export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return await routeOperations.call(this, operations, { inputErrors: [LedgerInputError] });
}
