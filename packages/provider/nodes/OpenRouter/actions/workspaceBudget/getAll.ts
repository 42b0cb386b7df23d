import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { segment } from '../../../../transport/provider';
import { openRouter } from '../../api';
import { intervalField, workspace, workspaceField } from './fields';

export const description: INodeProperties[] = [workspaceField, intervalField];

/** Every budget of a workspace, one item each, with the workspace's BYOK setting beside it. */
export async function execute(this: IExecuteFunctions, i: number): Promise<IDataObject[]> {
	const body = await openRouter.call(this, {
		method: 'GET',
		path: `/workspaces/${segment(workspace.call(this, i))}/budgets`,
		itemIndex: i,
	});
	return ((body.data as IDataObject[] | undefined) ?? []).map((budget) => ({
		...budget,
		include_byok_in_budgets: body.include_byok_in_budgets,
	}));
}
