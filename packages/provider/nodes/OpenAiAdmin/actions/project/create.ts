import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { requiredString } from '../../../../common/fields';
import { openAi } from '../common';

export const description: INodeProperties[] = [
	{
		displayName: 'Name',
		name: 'name',
		type: 'string',
		required: true,
		default: '',
		description: 'Name of the new project, as shown in the OpenAI dashboard',
	},
];

export async function execute(this: IExecuteFunctions, i: number): Promise<IDataObject> {
	const name = requiredString.call(this, 'name', 'Name', i);
	return await openAi.call(this, {
		method: 'POST',
		path: '/organization/projects',
		body: { name },
		itemIndex: i,
	});
}
