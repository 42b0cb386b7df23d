import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { requiredString } from '../../../../common/fields';
import { openRouter } from '../../api';
import { readWorkspaceId } from '../workspaces';
import { keySettings, keySettingsBody } from './fields';

export const description: INodeProperties[] = [
	{
		displayName:
			'The new key (sk-or-v1-...) is in the output of this run only: OpenRouter never shows it again. Store it or pass it on in this workflow.',
		name: 'keyNotice',
		type: 'notice',
		default: '',
	},
	{
		displayName: 'Name',
		name: 'name',
		type: 'string',
		required: true,
		default: '',
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			...keySettings,
			{
				displayName: 'Expires At',
				name: 'expiresAt',
				type: 'dateTime',
				default: '',
				description: 'When the key stops working (UTC)',
			},
			{
				displayName: 'Workspace ID',
				name: 'workspaceId',
				type: 'string',
				default: '',
				placeholder: '0df9e665-d932-4de0-b2de-2d2e7a4c2a6e',
				description: 'The workspace the key belongs to; empty for the default workspace',
			},
		],
	},
];

export async function execute(this: IExecuteFunctions, i: number): Promise<IDataObject> {
	const options = this.getNodeParameter('options', i, {}) as IDataObject;
	const body: IDataObject = {
		name: requiredString.call(this, 'name', 'Name', i),
		...keySettingsBody.call(this, options, i),
	};
	if (options.expiresAt) {
		const expires = new Date(String(options.expiresAt));
		if (Number.isNaN(expires.getTime()) || expires.getTime() <= Date.now()) {
			throw new NodeOperationError(
				this.getNode(),
				`"Expires At" must be a date in the future, got ${JSON.stringify(options.expiresAt)} (item ${i})`,
				{ itemIndex: i },
			);
		}
		body.expires_at = expires.toISOString().replace(/\.\d{3}Z$/, 'Z');
	}
	const workspace = String(options.workspaceId ?? '').trim();
	if (workspace) body.workspace_id = readWorkspaceId.call(this, workspace, i);
	const response = await openRouter.call(this, {
		method: 'POST',
		path: '/keys',
		body,
		itemIndex: i,
	});
	return { ...((response.data as IDataObject | undefined) ?? {}), key: response.key };
}
