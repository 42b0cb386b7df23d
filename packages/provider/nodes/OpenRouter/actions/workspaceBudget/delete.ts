import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { openRouter } from '../../api';
import { budgetPath } from './get';

export const description: INodeProperties[] = [];

/** Removes the interval's budget (OpenRouter also answers deleted when there was none). */
export async function execute(this: IExecuteFunctions, i: number): Promise<IDataObject> {
	const answer = await openRouter.call(this, {
		method: 'DELETE',
		path: budgetPath.call(this, i),
		itemIndex: i,
	});
	return {
		workspace: String(this.getNodeParameter('workspace', i)),
		interval: String(this.getNodeParameter('interval', i)),
		deleted: answer.deleted !== false,
	};
}
