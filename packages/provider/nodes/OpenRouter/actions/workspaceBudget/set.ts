import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { show } from '../../../../common/fields';
import { openRouter } from '../../api';
import { RESOURCE } from './fields';
import { budgetPath } from './get';

export const description: INodeProperties[] = [
	{
		displayName: 'Budget (USD)',
		name: 'limitUsd',
		type: 'number',
		typeOptions: { minValue: 0.01, numberPrecision: 2 },
		required: true,
		default: 100,
		description: 'Most the whole workspace may spend in the interval; more than zero',
		displayOptions: show(RESOURCE, 'set'),
	},
	{
		displayName: 'BYOK Usage',
		name: 'byok',
		type: 'options',
		options: [
			{ name: 'Leave as It Is', value: 'keep' },
			{ name: 'Count Toward Budgets', value: 'include' },
			{ name: 'Leave Out of Budgets', value: 'exclude' },
		],
		default: 'keep',
		description:
			'Whether usage on your own provider keys counts, for every interval of the workspace',
		displayOptions: show(RESOURCE, 'set'),
	},
];

/** Creates or replaces the workspace's budget for one interval. */
export async function execute(this: IExecuteFunctions, i: number): Promise<IDataObject> {
	const raw = this.getNodeParameter('limitUsd', i) as unknown;
	const limit = Number(raw);
	if (raw === '' || raw === null || !Number.isFinite(limit) || limit <= 0) {
		throw new NodeOperationError(
			this.getNode(),
			`"Budget (USD)" must be an amount above zero, got ${JSON.stringify(raw)} (item ${i})`,
			{ itemIndex: i },
		);
	}
	const byok = this.getNodeParameter('byok', i, 'keep');
	const body: IDataObject = { limit_usd: limit };
	if (byok !== 'keep') body.include_byok_in_budgets = byok === 'include';
	const answer = await openRouter.call(this, {
		method: 'PUT',
		path: budgetPath.call(this, i),
		body,
		itemIndex: i,
	});
	return {
		...(answer.data as IDataObject),
		include_byok_in_budgets: answer.include_byok_in_budgets,
	};
}
