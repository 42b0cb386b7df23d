import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { locatorField, parameterText, readLimit, show } from '../../../common/fields';
import { bucketResults, listAll } from '../../../transport/paginate';
import type { ApiRequest, Query } from '../../../transport/provider';
import { apiBody } from '../../../transport/request';
import { anthropicApi, listPages, reportPages } from '../api';

export { idField, show } from '../../../common/fields';

export async function anthropic(
	this: IExecuteFunctions,
	request: ApiRequest,
): Promise<IDataObject> {
	return ((await apiBody.call(this, anthropicApi, request)) as IDataObject | undefined) ?? {};
}

/** An Admin API list, honouring the node's "Return All" / "Limit". */
export async function anthropicList(
	this: IExecuteFunctions,
	request: ApiRequest,
): Promise<IDataObject[]> {
	return await listAll.call(this, anthropicApi, request, listPages, {
		limit: readLimit.call(this, request.itemIndex),
	});
}

/**
 * A usage or cost report (`{data: [{starting_at, ending_at, results}]}`) as one item per result,
 * each carrying its bucket's start and end.
 */
export async function readReport(
	this: IExecuteFunctions,
	path: string,
	query: Query,
	bucketsPerPage: number,
	itemIndex: number,
	limit: number | undefined,
): Promise<IDataObject[]> {
	return await listAll.call(
		this,
		anthropicApi,
		{ method: 'GET', path, query, itemIndex },
		reportPages(bucketsPerPage),
		{
			limit,
			extract: bucketResults((bucket) => ({
				bucket_start: bucket.starting_at,
				bucket_end: bucket.ending_at,
			})),
		},
	);
}

/** A workspace ID as Anthropic writes them; a malformed one is refused before any request. */
export function workspaceId(
	this: IExecuteFunctions,
	name: string,
	i: number,
	required = true,
): string | undefined {
	const value = parameterText.call(this, name, i);
	if (!value) {
		if (!required) return undefined;
		throw new NodeOperationError(this.getNode(), `"Workspace ID" is required (item ${i})`, {
			itemIndex: i,
		});
	}
	if (!/^wrkspc_[A-Za-z0-9]+$/.test(value)) {
		throw new NodeOperationError(
			this.getNode(),
			`"Workspace ID" must look like wrkspc_01JwQvzr7rXLA5AGx3HKfFUJ, got "${value}" (item ${i})`,
			{ itemIndex: i },
		);
	}
	return value;
}

export function workspaceIdField(resource: string, operation: string | string[]): INodeProperties {
	return locatorField({
		name: 'workspaceId',
		displayName: 'Workspace ID',
		placeholder: 'wrkspc_01JwQvzr7rXLA5AGx3HKfFUJ',
		search: 'searchWorkspaces',
		display: show(resource, operation),
	});
}

export const ORGANIZATION_ROLES = [
	{ name: 'Admin', value: 'admin' },
	{ name: 'Billing', value: 'billing' },
	{ name: 'Claude Code User', value: 'claude_code_user' },
	{ name: 'Developer', value: 'developer' },
	{ name: 'User', value: 'user' },
];

/** Roles a new workspace member can be given (the API refuses `workspace_billing` on add). */
export const NEW_MEMBER_ROLES = [
	{ name: 'Workspace Admin', value: 'workspace_admin' },
	{ name: 'Workspace Developer', value: 'workspace_developer' },
	{ name: 'Workspace Restricted Developer', value: 'workspace_restricted_developer' },
	{ name: 'Workspace User', value: 'workspace_user' },
];

/** Roles an existing member can be changed to. */
export const WORKSPACE_ROLES = [
	...NEW_MEMBER_ROLES.slice(0, 1),
	{ name: 'Workspace Billing', value: 'workspace_billing' },
	...NEW_MEMBER_ROLES.slice(1),
];
