import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { requiredString } from '../../../shared/fields';
import { segment } from '../../../shared/transport/provider';
import { idField, show, workspaceId, workspaceIdField, WORKSPACE_ROLES } from '../common';

export const memberFields: INodeProperties[] = [
	workspaceIdField('workspaceMember', ['add', 'get', 'getAll', 'updateRole', 'remove']),
	idField(
		'userId',
		'User ID',
		'workspaceMember',
		['add', 'get', 'updateRole', 'remove'],
		'user_01WCz1FkmYMm4gnmykNKUu3Q',
	),
	{
		displayName: 'Workspace Role',
		name: 'workspaceRole',
		type: 'options',
		options: WORKSPACE_ROLES,
		default: 'workspace_user',
		displayOptions: show('workspaceMember', ['add', 'updateRole']),
	},
];

export function membersPath(this: IExecuteFunctions, i: number, withUser: boolean): string {
	const workspace = workspaceId.call(this, 'workspaceId', i) as string;
	const base = `/organizations/workspaces/${segment(workspace)}/members`;
	return withUser ? `${base}/${segment(requiredString.call(this, 'userId', 'User ID', i))}` : base;
}
