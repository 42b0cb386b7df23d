import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { parameterText, show } from '../../../../common/fields';
import { UUID } from '../workspaces';

export const RESOURCE = 'guardrail';

export const guardrailIdField = (operations: string[]): INodeProperties => ({
	displayName: 'Guardrail ID',
	name: 'guardrailId',
	type: 'string',
	required: true,
	default: '',
	placeholder: '550e8400-e29b-41d4-a716-446655440000',
	displayOptions: show(RESOURCE, operations),
});

/** A guardrail's ID (a UUID), refused by name before any request when it is not one. */
export function guardrailId(this: IExecuteFunctions, i: number): string {
	const value = parameterText.call(this, 'guardrailId', i);
	if (!UUID.test(value)) {
		throw new NodeOperationError(
			this.getNode(),
			`"Guardrail ID" must be a guardrail UUID, got "${value}" (item ${i})`,
			{ itemIndex: i },
		);
	}
	return value;
}

const RESETS = [
	{ name: 'Never', value: 'none' },
	{ name: 'Daily', value: 'daily' },
	{ name: 'Weekly (Monday)', value: 'weekly' },
	{ name: 'Monthly', value: 'monthly' },
];

/** What a guardrail holds, shared by Create and Update (OpenRouter replaces lists on update). */
export const guardrailSettings: INodeProperties[] = [
	{
		displayName: 'Allowed Models',
		name: 'allowedModels',
		type: 'string',
		default: '',
		placeholder: 'openai/gpt-4o-mini, anthropic/claude-sonnet-4.5',
		description: 'Only these models, comma-separated',
	},
	{
		displayName: 'Allowed Providers',
		name: 'allowedProviders',
		type: 'string',
		default: '',
		placeholder: 'openai, anthropic',
		description: 'Only these providers, comma-separated',
	},
	{
		displayName: 'Budget (USD)',
		name: 'limitUsd',
		type: 'number',
		typeOptions: { minValue: 0, numberPrecision: 2 },
		default: 100,
		description:
			'Most the keys or members it is assigned to may spend, each on its own; an expression giving null removes it',
	},
	{
		displayName: 'Budget Reset',
		name: 'resetInterval',
		type: 'options',
		options: RESETS,
		default: 'monthly',
		description: 'When spending counts again from zero (midnight UTC)',
	},
	{
		displayName: 'Description',
		name: 'description',
		type: 'string',
		default: '',
	},
	{
		displayName: 'Ignored Models',
		name: 'ignoredModels',
		type: 'string',
		default: '',
		description: 'Never these models, comma-separated',
	},
	{
		displayName: 'Ignored Providers',
		name: 'ignoredProviders',
		type: 'string',
		default: '',
		description: 'Never these providers, comma-separated',
	},
	{
		displayName: 'Include BYOK in Budget',
		name: 'includeByokInBudgets',
		type: 'boolean',
		default: false,
		description: 'Whether usage on your own provider keys counts toward the budget',
	},
];

const list = (value: unknown) =>
	String(value ?? '')
		.split(',')
		.map((entry) => entry.trim())
		.filter(Boolean);

/** The chosen settings as OpenRouter's body, each bad value refused by its name. */
export function guardrailBody(
	this: IExecuteFunctions,
	settings: IDataObject,
	i: number,
): IDataObject {
	const body: IDataObject = {};
	if (settings.description !== undefined) body.description = String(settings.description) || null;
	if (settings.limitUsd === null) body.limit_usd = null;
	else if (settings.limitUsd !== undefined && settings.limitUsd !== '') {
		const limit = Number(settings.limitUsd);
		if (!Number.isFinite(limit) || limit < 0) {
			throw new NodeOperationError(
				this.getNode(),
				`"Budget (USD)" must be an amount of zero or more, got ${JSON.stringify(settings.limitUsd)} (item ${i})`,
				{ itemIndex: i },
			);
		}
		body.limit_usd = limit;
	}
	if (settings.resetInterval !== undefined) {
		const reset = String(settings.resetInterval);
		if (!RESETS.some((option) => option.value === reset)) {
			throw new NodeOperationError(
				this.getNode(),
				`"Budget Reset" must be none, daily, weekly or monthly, got "${reset}" (item ${i})`,
				{ itemIndex: i },
			);
		}
		body.reset_interval = reset === 'none' ? null : reset;
	}
	for (const [field, name] of [
		['allowedModels', 'allowed_models'],
		['ignoredModels', 'ignored_models'],
		['allowedProviders', 'allowed_providers'],
		['ignoredProviders', 'ignored_providers'],
	] as const) {
		// An empty list clears it (OpenRouter takes null, and refuses an empty array).
		if (settings[field] !== undefined)
			body[name] = list(settings[field]).length ? list(settings[field]) : null;
	}
	if (settings.includeByokInBudgets !== undefined)
		body.include_byok_in_budgets = settings.includeByokInBudgets === true;
	return body;
}

export { list as commaList };
