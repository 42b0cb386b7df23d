import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { requiredString } from '../../../../common/fields';
import { segment } from '../../../../transport/provider';
import {
	idField,
	NEW_MEMBER_ROLES,
	show,
	workspaceId,
	workspaceIdField,
	WORKSPACE_ROLES,
} from '../common';

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
		options: NEW_MEMBER_ROLES,
		default: 'workspace_user',
		description: 'Workspace Billing can be given only to an existing member',
		displayOptions: show('workspaceMember', ['add']),
	},
	{
		displayName: 'Workspace Role',
		name: 'workspaceRole',
		type: 'options',
		options: WORKSPACE_ROLES,
		default: 'workspace_user',
		displayOptions: show('workspaceMember', ['updateRole']),
	},
];

/** The chosen role, checked against what the API accepts for this operation. */
export function readRole(this: IExecuteFunctions, i: number, newMember: boolean): string {
	const roles = newMember ? NEW_MEMBER_ROLES : WORKSPACE_ROLES;
	const role = String(this.getNodeParameter('workspaceRole', i, '') ?? '').trim();
	if (!roles.some((option) => option.value === role)) {
		throw new NodeOperationError(
			this.getNode(),
			`"Workspace Role" must be one of ${roles.map((option) => option.value).join(', ')}${newMember ? ' for a new member' : ''}, got "${role}" (item ${i})`,
			{ itemIndex: i },
		);
	}
	return role;
}

export function membersPath(this: IExecuteFunctions, i: number, withUser: boolean): string {
	const workspace = workspaceId.call(this, 'workspaceId', i) as string;
	const base = `/organizations/workspaces/${segment(workspace)}/members`;
	return withUser ? `${base}/${segment(requiredString.call(this, 'userId', 'User ID', i))}` : base;
}
