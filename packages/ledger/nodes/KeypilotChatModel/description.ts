import type { INodeProperties } from 'n8n-workflow';

export const properties: INodeProperties[] = [
	{
		displayName: 'Provider',
		name: 'provider',
		type: 'options',
		noDataExpression: true,
		options: [
			{
				name: 'Anthropic',
				value: 'anthropic',
				description: "Anthropic's Messages API, with n8n's Anthropic credential",
			},
			{
				name: 'OpenAI-Compatible',
				value: 'openai',
				description:
					"Chat Completions with n8n's OpenAI credential: OpenAI, OpenRouter, Volcengine Ark, Azure OpenAI or any compatible endpoint (its Base URL)",
			},
		],
		default: 'openai',
	},
	{
		displayName: 'Model',
		name: 'model',
		type: 'string',
		default: 'gpt-4o-mini',
		required: true,
		placeholder: 'gpt-4o-mini, claude-sonnet-4-5, openai/gpt-4o',
		description: 'The model ID as the provider names it; its price comes from the price catalog',
	},
	{
		displayName: 'Anthropic API Version',
		name: 'anthropicVersion',
		type: 'options',
		displayOptions: { show: { provider: ['anthropic'] } },
		options: [
			{
				name: '2023-06-01',
				value: '2023-06-01',
				description: 'The previous version, which still takes Sampling Temperature and Top P',
			},
			{
				name: '2026-10-21',
				value: '2026-10-21',
				description: 'The current version; it refuses Sampling Temperature and Top P',
			},
		],
		default: '2026-10-21',
		description: 'Sent as the anthropic-version header of every call',
	},
	{
		displayName: 'Quota Subject Type',
		name: 'subjectType',
		type: 'options',
		options: [
			{ name: 'API Key Hash', value: 'key_hash', description: 'SHA-256 hex of a key' },
			{ name: 'API Key ID', value: 'key_id' },
			{ name: 'Internal Token Hash', value: 'token_hash', description: "A gateway token's hash" },
			{ name: 'Project', value: 'project' },
			{ name: 'Provider Account', value: 'account' },
			{ name: 'Workflow', value: 'workflow' },
		],
		default: 'workflow',
		description: 'Whose quota every call of the model is charged to',
	},
	{
		displayName: 'Quota Subject',
		name: 'subject',
		type: 'string',
		default: '={{ $workflow.id }}',
		required: true,
		description:
			"The subject's ID, for example the caller's token hash from the trigger item; set its quota with Quota Check → Set Quota",
	},
	{
		displayName: 'When the Subject Has No Quota',
		name: 'whenNoQuota',
		type: 'options',
		options: [
			{ name: 'Allow (Metered and Logged)', value: 'allow' },
			{ name: 'Refuse the Call', value: 'refuse' },
		],
		default: 'allow',
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Base URL',
				name: 'baseUrl',
				type: 'string',
				default: '',
				description: "Overrides the credential's URL, e.g. https://openrouter.ai/api/v1",
			},
			{
				displayName: 'Frequency Penalty',
				name: 'frequencyPenalty',
				type: 'number',
				default: 0,
				typeOptions: { minValue: -2, maxValue: 2, numberPrecision: 1 },
			},
			{
				displayName: 'Key Name',
				name: 'keyName',
				type: 'string',
				default: '',
				description: 'A label for the usage rows, shown in reports',
			},
			{
				displayName: 'Maximum Number of Tokens',
				name: 'maxTokens',
				type: 'number',
				default: 1024,
				typeOptions: { minValue: 1 },
				description: 'The output limit of each call; it is part of what each call reserves',
			},
			{
				displayName: 'Presence Penalty',
				name: 'presencePenalty',
				type: 'number',
				default: 0,
				typeOptions: { minValue: -2, maxValue: 2, numberPrecision: 1 },
			},
			{
				displayName: 'Sampling Temperature',
				name: 'temperature',
				type: 'number',
				default: 0.7,
				typeOptions: { minValue: 0, maxValue: 2, numberPrecision: 1 },
			},
			{
				displayName: 'Timeout (Seconds)',
				name: 'timeout',
				type: 'number',
				default: 120,
				typeOptions: { minValue: 1 },
				description:
					'Of each provider call; an unsettled reservation expires 60 seconds later and is then charged in full',
			},
			{
				displayName: 'Top P',
				name: 'topP',
				type: 'number',
				default: 1,
				typeOptions: { minValue: 0, maxValue: 1, numberPrecision: 2 },
			},
		],
	},
];
