import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { isoFromUnixSeconds } from '../../../common/time';
import { bucketResults, listAll } from '../../../transport/paginate';
import type { Query } from '../../../transport/provider';
import { openAiApi, reportPages } from '../api';

/**
 * Reads a usage or cost report (`{data: [bucket]}`, each bucket `{start_time, end_time, results}`)
 * and returns one item per result, carrying its bucket's start and end.
 */
export async function readReport(
	this: IExecuteFunctions,
	path: string,
	query: Query,
	pageSize: number,
	itemIndex: number,
	limit: number | undefined,
): Promise<IDataObject[]> {
	return await listAll.call(
		this,
		openAiApi,
		{ method: 'GET', path, query, itemIndex },
		reportPages(pageSize),
		{
			limit,
			extract: bucketResults((bucket) => ({
				start_time: bucket.start_time,
				end_time: bucket.end_time,
				bucket_start: isoFromUnixSeconds(Number(bucket.start_time)),
				bucket_end: isoFromUnixSeconds(Number(bucket.end_time)),
			})),
		},
	);
}
