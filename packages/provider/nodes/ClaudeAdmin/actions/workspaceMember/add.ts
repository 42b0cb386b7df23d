import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { requiredString } from '../../../../common/fields';
import { anthropic } from '../common';
import { membersPath, readRole } from './common';

export const description: INodeProperties[] = [];

export async function execute(this: IExecuteFunctions, i: number): Promise<IDataObject> {
	const path = membersPath.call(this, i, false);
	const body = {
		user_id: requiredString.call(this, 'userId', 'User ID', i),
		workspace_role: readRole.call(this, i, true),
	};
	return await anthropic.call(this, { method: 'POST', path, body, itemIndex: i });
}
