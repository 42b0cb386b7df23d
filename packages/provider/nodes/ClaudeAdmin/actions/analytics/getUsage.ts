import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { analyticsFields, DIMENSIONS, readAnalytics } from './fields';

export const description: INodeProperties[] = analyticsFields('getUsage', DIMENSIONS);

/** Token and request counts by the chosen dimensions, one item per row, every count in its own field. */
export async function execute(this: IExecuteFunctions, i: number): Promise<IDataObject[]> {
	const rows = await readAnalytics.call(this, '/organizations/analytics/usage', i);
	return rows.map((row) => {
		const { usage, ...rest } = row;
		const counts = (usage as IDataObject | undefined) ?? {};
		const creation = (counts.cache_creation as IDataObject | undefined) ?? {};
		const tools = (counts.server_tool_use as IDataObject | undefined) ?? {};
		const flat = Object.fromEntries(
			Object.entries(counts).filter(
				([name]) => name !== 'cache_creation' && name !== 'server_tool_use',
			),
		);
		return {
			...rest,
			...flat,
			cache_creation_5m_input_tokens: creation.ephemeral_5m_input_tokens ?? 0,
			cache_creation_1h_input_tokens: creation.ephemeral_1h_input_tokens ?? 0,
			web_search_requests: tools.web_search_requests ?? 0,
			web_fetch_requests: tools.web_fetch_requests ?? 0,
		};
	});
}
