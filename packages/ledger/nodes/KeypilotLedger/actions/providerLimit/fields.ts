import type { INodeProperties } from 'n8n-workflow';

import { LedgerInputError } from '../../../../core/fields';
import { LIMIT_TARGETS, type LimitTarget } from '../../../../core/limits/targets';

export const TARGET_OPTIONS = [
	{
		name: 'Anthropic Workspace Spend Limit',
		value: 'anthropic_workspace',
		description:
			'A monthly USD quota, set in whole cents (Console organizations, early-access preview)',
	},
	{
		name: 'OpenAI Project Spend Limit',
		value: 'openai_project',
		description: 'A monthly USD quota, set in whole cents',
	},
	{
		name: 'OpenRouter Key Limit',
		value: 'openrouter_key',
		description: 'A USD quota; its period becomes the key’s limit reset',
	},
];

export const targetField = (
	displayOptions: INodeProperties['displayOptions'],
	description: string,
): INodeProperties => ({
	displayName: 'Target',
	name: 'target',
	type: 'options',
	options: TARGET_OPTIONS,
	default: 'openrouter_key',
	description,
	displayOptions,
});

export const targetIdField = (
	displayOptions: INodeProperties['displayOptions'],
): INodeProperties => ({
	displayName: 'Target ID',
	name: 'targetId',
	type: 'string',
	default: '',
	required: true,
	placeholder:
		'OpenRouter key hash, OpenAI project ID (proj_…) or Anthropic workspace ID (wrkspc_…)',
	displayOptions,
});

export function readTarget(value: unknown): LimitTarget {
	if (!LIMIT_TARGETS.includes(value as LimitTarget)) {
		throw new LedgerInputError('Target', LIMIT_TARGETS.join(' or '), value);
	}
	return value as LimitTarget;
}

export function readTargetId(value: unknown): string {
	const id = typeof value === 'string' ? value.trim() : '';
	if (!id)
		throw new LedgerInputError(
			'Target ID',
			'an OpenRouter key hash, an OpenAI project ID or an Anthropic workspace ID',
			value,
		);
	return id;
}
