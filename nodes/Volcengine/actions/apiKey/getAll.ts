import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { readLimit, returnAllOrLimit } from '../../../shared/fields';
import { IAM, volcengineList } from '../../api';
import { optionalUserName, userNameField } from '../common';

export const description: INodeProperties[] = [
	userNameField('apiKey', 'getAll'),
	...returnAllOrLimit('apiKey', 'getAll'),
];

export async function execute(this: IExecuteFunctions, i: number): Promise<IDataObject[]> {
	return await volcengineList.call(
		this,
		{
			...IAM,
			action: 'ListApiKeys',
			query: { UserName: optionalUserName.call(this, i) },
			idempotent: true,
			itemIndex: i,
		},
		{
			limit: readLimit.call(this, i),
			paramsIn: 'query',
			extract: (body) => {
				const keys = (body.Result as IDataObject | undefined)?.ApiKeys;
				return Array.isArray(keys) ? (keys as IDataObject[]) : [];
			},
		},
	);
}
