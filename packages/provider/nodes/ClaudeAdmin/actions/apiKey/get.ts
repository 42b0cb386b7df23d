import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { withWorkspace } from './common';

import { requiredString } from '../../../../common/fields';
import { segment } from '../../../../transport/provider';
import { anthropic, idField } from '../common';

export const description: INodeProperties[] = [
	idField(
		'apiKeyId',
		'API Key ID',
		'apiKey',
		['get', 'update'],
		'apikey_01Rj2N8SVvo6BePZj99NhmiT',
		'searchApiKeys',
	),
];

export async function execute(this: IExecuteFunctions, i: number): Promise<IDataObject> {
	const id = requiredString.call(this, 'apiKeyId', 'API Key ID', i);
	return withWorkspace(
		await anthropic.call(this, {
			method: 'GET',
			path: `/organizations/api_keys/${segment(id)}`,
			itemIndex: i,
		}),
	);
}
