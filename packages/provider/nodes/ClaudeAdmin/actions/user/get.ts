import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { requiredString } from '../../../../common/fields';
import { segment } from '../../../../transport/provider';
import { anthropic, idField } from '../common';

export const description: INodeProperties[] = [
	idField(
		'userId',
		'User ID',
		'user',
		['get', 'updateRole', 'remove'],
		'user_01WCz1FkmYMm4gnmykNKUu3Q',
	),
];

export function userPath(this: IExecuteFunctions, i: number): string {
	return `/organizations/users/${segment(requiredString.call(this, 'userId', 'User ID', i))}`;
}

export async function execute(this: IExecuteFunctions, i: number): Promise<IDataObject> {
	return await anthropic.call(this, { method: 'GET', path: userPath.call(this, i), itemIndex: i });
}
