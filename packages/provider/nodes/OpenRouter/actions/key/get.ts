import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { idField, requiredString } from '../../../../common/fields';
import { segment } from '../../../../transport/provider';
import { openRouterData } from '../../api';

export const description: INodeProperties[] = [
	idField(
		'keyHash',
		'Key Hash',
		'key',
		['get', 'update', 'delete'],
		'f01d52606dc8f0a8303a7b5cc3fa07109c2e346cec7c0a16b40de462992ce943',
		'searchKeys',
	),
];

export function keyPath(this: IExecuteFunctions, i: number): string {
	return `/keys/${segment(requiredString.call(this, 'keyHash', 'Key Hash', i))}`;
}

export async function execute(this: IExecuteFunctions, i: number): Promise<IDataObject> {
	return await openRouterData.call(this, {
		method: 'GET',
		path: keyPath.call(this, i),
		itemIndex: i,
	});
}
