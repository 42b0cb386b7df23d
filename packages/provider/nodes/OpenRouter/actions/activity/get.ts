import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { openRouter } from '../../api';

export const description: INodeProperties[] = [
	{
		displayName: 'Date',
		name: 'date',
		type: 'string',
		default: '',
		placeholder: '2026-11-24',
		description: 'One UTC day, YYYY-MM-DD; empty for the last 30 completed days',
	},
];

/** Usage per day, model and provider: one item per row. */
export async function execute(this: IExecuteFunctions, i: number): Promise<IDataObject[]> {
	const date = String(this.getNodeParameter('date', i, '') ?? '').trim();
	if (date && !/^\d{4}-\d{2}-\d{2}$/.test(date)) {
		throw new NodeOperationError(
			this.getNode(),
			`"Date" must be a day written YYYY-MM-DD, got "${date}" (item ${i})`,
			{ itemIndex: i },
		);
	}
	const body = await openRouter.call(this, {
		method: 'GET',
		path: '/activity',
		query: { date: date || undefined },
		itemIndex: i,
	});
	return (body.data as IDataObject[] | undefined) ?? [];
}
