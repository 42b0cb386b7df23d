import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { alreadyGoneField, deleting } from '../../../../transport/alreadyGone';
import { segment } from '../../../../transport/provider';
import { openRouter } from '../../api';
import { guardrailId } from './fields';

export const description: INodeProperties[] = [alreadyGoneField('guardrail', 'delete')];

export async function execute(this: IExecuteFunctions, i: number): Promise<IDataObject> {
	const id = guardrailId.call(this, i);
	const { result, alreadyGone } = await deleting.call(
		this,
		i,
		async () =>
			await openRouter.call(this, {
				method: 'DELETE',
				path: `/guardrails/${segment(id)}`,
				itemIndex: i,
			}),
	);
	return {
		id,
		deleted: alreadyGone || (result as IDataObject | undefined)?.deleted !== false,
		already_gone: alreadyGone,
	};
}
