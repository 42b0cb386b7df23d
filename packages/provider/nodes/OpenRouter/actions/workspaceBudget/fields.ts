import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { parameterText, show } from '../../../../common/fields';
import { UUID } from '../workspaces';

export const RESOURCE = 'workspaceBudget';

export const workspaceField: INodeProperties = {
	displayName: 'Workspace',
	name: 'workspace',
	type: 'string',
	required: true,
	default: '',
	placeholder: '0df9e665-d932-4de0-b2de-2d2e7a4c2a6e or production',
	description: 'The workspace’s UUID or slug',
	displayOptions: show(RESOURCE, ['getAll', 'get', 'set', 'delete']),
};

/** A workspace's UUID or slug, refused by name before any request when it is neither. */
export function workspace(this: IExecuteFunctions, i: number): string {
	const value = parameterText.call(this, 'workspace', i);
	if (!UUID.test(value) && !/^[a-z0-9][a-z0-9-]{0,99}$/.test(value)) {
		throw new NodeOperationError(
			this.getNode(),
			`"Workspace" must be a workspace UUID or slug, got "${value}" (item ${i})`,
			{ itemIndex: i },
		);
	}
	return value;
}

export const intervalField: INodeProperties = {
	displayName: 'Interval',
	name: 'interval',
	type: 'options',
	options: [
		{ name: 'Daily', value: 'daily' },
		{ name: 'Lifetime', value: 'lifetime' },
		{ name: 'Monthly', value: 'monthly' },
		{ name: 'Weekly', value: 'weekly' },
	],
	default: 'monthly',
	description: 'Each interval has its own budget; a narrower one must be smaller',
	displayOptions: show(RESOURCE, ['get', 'set', 'delete']),
};
