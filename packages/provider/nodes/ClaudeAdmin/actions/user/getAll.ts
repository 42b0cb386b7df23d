import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { returnAllOrLimit } from '../../../../common/fields';
import { anthropicList } from '../common';

export const description: INodeProperties[] = [
	...returnAllOrLimit('user', 'getAll'),
	{
		displayName: 'Email',
		name: 'email',
		type: 'string',
		placeholder: 'name@email.com',
		default: '',
		description: 'Only the user with this email address',
	},
];

export async function execute(this: IExecuteFunctions, i: number): Promise<IDataObject[]> {
	const email = String(this.getNodeParameter('email', i, '') ?? '').trim();
	return await anthropicList.call(this, {
		method: 'GET',
		path: '/organizations/users',
		query: { email: email || undefined },
		itemIndex: i,
	});
}
