import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { readLimit, returnAllOrLimit } from '../../../../common/fields';
import { listAll } from '../../../../transport/paginate';
import { keyPages, openRouterApi } from '../../api';
import { listWorkspaces, readWorkspaceId } from '../workspaces';

export const description: INodeProperties[] = [
	...returnAllOrLimit('key', 'getAll'),
	{
		displayName: 'Include Disabled',
		name: 'includeDisabled',
		type: 'boolean',
		default: false,
		description: 'Whether to list disabled keys too',
	},
	{
		displayName: 'Workspace',
		name: 'workspace',
		type: 'options',
		options: [
			{
				name: 'Default Workspace',
				value: 'default',
				description: 'What OpenRouter lists when no workspace is named',
			},
			{ name: 'One Workspace', value: 'one' },
			{
				name: 'All Workspaces',
				value: 'all',
				description: 'Every workspace in turn, so that no key is missed (for syncs)',
			},
		],
		default: 'default',
	},
	{
		displayName: 'Workspace ID',
		name: 'workspaceId',
		type: 'string',
		required: true,
		default: '',
		placeholder: '0df9e665-d932-4de0-b2de-2d2e7a4c2a6e',
		displayOptions: { show: { resource: ['key'], operation: ['getAll'], workspace: ['one'] } },
	},
];

/**
 * Keys page by offset. Without `workspace_id` OpenRouter lists only the default workspace's keys,
 * so "All Workspaces" reads the workspace list first, then each workspace's keys.
 */
export async function execute(this: IExecuteFunctions, i: number): Promise<IDataObject[]> {
	const includeDisabled = this.getNodeParameter('includeDisabled', i, false) as boolean;
	const scope = this.getNodeParameter('workspace', i, 'default') as string;
	// "All": the default listing too, in case the workspace list leaves the default one out;
	// a key seen twice is kept once.
	const workspaces: Array<string | undefined> =
		scope === 'all'
			? [
					undefined,
					...(await listWorkspaces.call(this, i)).map((workspace) => String(workspace.id)),
				]
			: scope === 'one'
				? [
						readWorkspaceId.call(
							this,
							String(this.getNodeParameter('workspaceId', i, '')).trim(),
							i,
						),
					]
				: [undefined];
	const limit = readLimit.call(this, i);
	const keys: IDataObject[] = [];
	const seen = new Set<string>();
	for (const workspace of workspaces) {
		if (limit !== undefined && keys.length >= limit) break;
		const page = await listAll.call(
			this,
			openRouterApi,
			{
				method: 'GET',
				path: '/keys',
				query: {
					include_disabled: includeDisabled ? 'true' : undefined,
					workspace_id: workspace,
				},
				itemIndex: i,
			},
			keyPages,
			{ limit: limit === undefined ? undefined : limit - keys.length },
		);
		for (const key of page) {
			if (typeof key.hash === 'string' && seen.has(key.hash)) continue;
			if (typeof key.hash === 'string') seen.add(key.hash);
			keys.push(key);
		}
	}
	return keys;
}
