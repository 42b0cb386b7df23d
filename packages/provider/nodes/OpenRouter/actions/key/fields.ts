import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

export const LIMIT_RESETS = [
	{ name: 'Never', value: 'none' },
	{ name: 'Daily', value: 'daily' },
	{ name: 'Weekly (Monday)', value: 'weekly' },
	{ name: 'Monthly', value: 'monthly' },
];

/** Key settings shared by Create and Update. */
export const keySettings: INodeProperties[] = [
	{
		displayName: 'Credit Limit (USD)',
		name: 'creditLimit',
		type: 'number',
		typeOptions: { minValue: 0, numberPrecision: 2 },
		default: 10,
		description:
			'Most the key may spend, in USD. Leave this option out for no limit on create; an expression giving null removes the limit.',
	},
	{
		displayName: 'Limit Reset',
		name: 'limitReset',
		type: 'options',
		options: LIMIT_RESETS,
		default: 'none',
		description: 'When spending counts again from zero (midnight UTC)',
	},
	{
		displayName: 'Include BYOK in Limit',
		name: 'includeByokInLimit',
		type: 'boolean',
		default: false,
		description: 'Whether usage on your own provider keys counts toward the limit',
	},
];

/** Turns the chosen settings into OpenRouter's body fields, refusing bad values by name. */
export function keySettingsBody(
	this: IExecuteFunctions,
	settings: IDataObject,
	i: number,
): IDataObject {
	const body: IDataObject = {};
	if (
		settings.creditLimit !== undefined &&
		settings.creditLimit !== null &&
		settings.creditLimit !== ''
	) {
		const limit = Number(settings.creditLimit);
		if (!Number.isFinite(limit) || limit < 0) {
			throw new NodeOperationError(
				this.getNode(),
				`"Credit Limit (USD)" must be an amount of zero or more, got ${JSON.stringify(settings.creditLimit)} (item ${i})`,
				{ itemIndex: i },
			);
		}
		body.limit = limit;
	} else if (settings.creditLimit === null) {
		// Set by an expression to null: the key gets no limit (OpenRouter's limit: null).
		body.limit = null;
	}
	if (settings.limitReset !== undefined) {
		const reset = String(settings.limitReset);
		if (!LIMIT_RESETS.some((option) => option.value === reset)) {
			throw new NodeOperationError(
				this.getNode(),
				`"Limit Reset" must be none, daily, weekly or monthly, got "${reset}" (item ${i})`,
				{ itemIndex: i },
			);
		}
		body.limit_reset = reset === 'none' ? null : reset;
	}
	if (settings.includeByokInLimit !== undefined)
		body.include_byok_in_limit = settings.includeByokInLimit === true;
	return body;
}
