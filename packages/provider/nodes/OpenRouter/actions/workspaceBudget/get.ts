import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { segment } from '../../../../transport/provider';
import { openRouter } from '../../api';
import { workspace } from './fields';

export const description: INodeProperties[] = [];

export function budgetPath(this: IExecuteFunctions, i: number): string {
	const interval = String(this.getNodeParameter('interval', i, 'monthly'));
	return `/workspaces/${segment(workspace.call(this, i))}/budgets/${segment(interval)}`;
}

export async function execute(this: IExecuteFunctions, i: number): Promise<IDataObject> {
	const body = await openRouter.call(this, {
		method: 'GET',
		path: budgetPath.call(this, i),
		itemIndex: i,
	});
	return { ...(body.data as IDataObject), include_byok_in_budgets: body.include_byok_in_budgets };
}
