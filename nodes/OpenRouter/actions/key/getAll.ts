import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { readLimit, returnAllOrLimit, show } from '../../../shared/fields';
import { listAll } from '../../../shared/transport/paginate';
import { keyPages, openRouterApi } from '../../api';

export const description: INodeProperties[] = [
	...returnAllOrLimit('key', 'getAll'),
	{
		displayName: 'Include Disabled',
		name: 'includeDisabled',
		type: 'boolean',
		default: false,
		description: 'Whether to list disabled keys too',
		displayOptions: show('key', 'getAll'),
	},
];

export async function execute(this: IExecuteFunctions, i: number): Promise<IDataObject[]> {
	const includeDisabled = this.getNodeParameter('includeDisabled', i, false) as boolean;
	return await listAll.call(
		this,
		openRouterApi,
		{
			method: 'GET',
			path: '/keys',
			query: { include_disabled: includeDisabled ? 'true' : undefined },
			itemIndex: i,
		},
		keyPages,
		{ limit: readLimit.call(this, i) },
	);
}
