import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { requiredString } from '../../../../common/fields';
import { segment } from '../../../../transport/provider';
import { idField, openAi } from '../common';

export const description: INodeProperties[] = [
	idField('keyId', 'Key ID', 'adminApiKey', 'delete', 'key_abc123'),
];

export async function execute(this: IExecuteFunctions, i: number): Promise<IDataObject> {
	const keyId = requiredString.call(this, 'keyId', 'Key ID', i);
	return await openAi.call(this, {
		method: 'DELETE',
		path: `/organization/admin_api_keys/${segment(keyId)}`,
		itemIndex: i,
	});
}
