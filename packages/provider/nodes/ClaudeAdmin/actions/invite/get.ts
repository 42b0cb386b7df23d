import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { requiredString } from '../../../../common/fields';
import { segment } from '../../../../transport/provider';
import { anthropic, idField } from '../common';

export const description: INodeProperties[] = [
	idField('inviteId', 'Invite ID', 'invite', ['get', 'delete'], 'invite_015gWxCN9Hfg2QhZwTK7Mdeu'),
];

export function invitePath(this: IExecuteFunctions, i: number): string {
	return `/organizations/invites/${segment(requiredString.call(this, 'inviteId', 'Invite ID', i))}`;
}

export async function execute(this: IExecuteFunctions, i: number): Promise<IDataObject> {
	return await anthropic.call(this, {
		method: 'GET',
		path: invitePath.call(this, i),
		itemIndex: i,
	});
}
