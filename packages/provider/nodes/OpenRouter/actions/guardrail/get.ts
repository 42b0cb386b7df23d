import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { segment } from '../../../../transport/provider';
import { openRouterData } from '../../api';
import { guardrailId, guardrailIdField } from './fields';

export const description: INodeProperties[] = [
	guardrailIdField(['get', 'update', 'delete', 'assign', 'unassign']),
];

export async function execute(this: IExecuteFunctions, i: number): Promise<IDataObject> {
	const id = guardrailId.call(this, i);
	return await openRouterData.call(this, {
		method: 'GET',
		path: `/guardrails/${segment(id)}`,
		itemIndex: i,
	});
}
