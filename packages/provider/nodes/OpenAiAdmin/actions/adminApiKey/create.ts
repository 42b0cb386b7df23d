import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { NodeOperationError } from 'n8n-workflow';

import { requiredString } from '../../../../common/fields';
import { openAi } from '../common';

/** The API's bound for `expires_in_seconds` (one year). */
const MAX_EXPIRY_SECONDS = 31_536_000;

export const description: INodeProperties[] = [
	{
		displayName: 'Name',
		name: 'name',
		type: 'string',
		required: true,
		default: '',
		description: 'Name of the new admin API key',
	},
	{
		displayName: 'Expires In (Seconds)',
		name: 'expiresInSeconds',
		type: 'number',
		default: 0,
		typeOptions: { minValue: 0, maxValue: MAX_EXPIRY_SECONDS },
		description:
			'Seconds from now until the key stops working, at most one year (31536000). 0 for a key that does not expire.',
	},
	{
		displayName:
			'The key value is in the output of this node only once. Store it now; OpenAI never shows it again.',
		name: 'onceNotice',
		type: 'notice',
		default: '',
	},
];

export async function execute(this: IExecuteFunctions, i: number): Promise<IDataObject> {
	const body: IDataObject = { name: requiredString.call(this, 'name', 'Name', i) };
	const expiresIn = this.getNodeParameter('expiresInSeconds', i, 0) as unknown;
	if (expiresIn !== 0 && expiresIn !== '' && expiresIn !== null && expiresIn !== undefined) {
		const seconds = Number(expiresIn);
		if (!Number.isInteger(seconds) || seconds < 1 || seconds > MAX_EXPIRY_SECONDS) {
			throw new NodeOperationError(
				this.getNode(),
				`"Expires In (Seconds)" must be a whole number from 1 to ${MAX_EXPIRY_SECONDS}, or 0 for no expiry, got ${JSON.stringify(expiresIn)} (item ${i})`,
				{ itemIndex: i },
			);
		}
		body.expires_in_seconds = seconds;
	}
	return await openAi.call(this, {
		method: 'POST',
		path: '/organization/admin_api_keys',
		body,
		itemIndex: i,
	});
}
