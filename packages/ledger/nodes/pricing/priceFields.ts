import type { INodeProperties } from 'n8n-workflow';

/**
 * Where prices come from, for an operation that prices requests (read by `loadPrices`): the
 * Usage Logger's Log and Quota Check's Reserve for Chat Request use the same fields, so a USD
 * quota reserves with the prices its usage is logged with.
 */
export function priceFields(operation: string): INodeProperties[] {
	return [
		{
			displayName: 'Price Table',
			name: 'priceTable',
			type: 'options',
			options: [
				{ name: 'Genai-Prices (Built In)', value: 'default' },
				{ name: 'LiteLLM-Format Table From a URL', value: 'litellmUrl' },
				{ name: 'LiteLLM-Format Table From Binary Input', value: 'litellmBinary' },
			],
			default: 'default',
			description:
				"Where prices come from. A model the chosen table lacks is priced by genai-prices; OpenRouter's own reported cost is used when there is no override.",
			displayOptions: { show: { operation: [operation] } },
		},
		{
			displayName: 'Price Table URL',
			name: 'priceTableUrl',
			type: 'string',
			default: '',
			placeholder:
				'https://raw.githubusercontent.com/BerriAI/litellm/main/model_prices_and_context_window.json',
			displayOptions: { show: { operation: [operation], priceTable: ['litellmUrl'] } },
		},
		{
			displayName: 'Price Table Binary Property',
			name: 'priceTableBinaryProperty',
			type: 'string',
			default: 'data',
			description:
				'The binary property of the first input item that holds the LiteLLM-format JSON file',
			displayOptions: { show: { operation: [operation], priceTable: ['litellmBinary'] } },
		},
		{
			displayName: 'Price Overrides',
			name: 'priceOverrides',
			type: 'fixedCollection',
			typeOptions: { multipleValues: true },
			placeholder: 'Add Model Price',
			default: {},
			description:
				'Prices in USD per million tokens (web searches: per thousand) that win over every other source',
			displayOptions: { show: { operation: [operation] } },
			options: [
				{
					displayName: 'Model',
					name: 'model',
					values: [
						{
							displayName: 'Cache Read',
							name: 'cacheRead',
							type: 'string',
							default: '',
						},
						{
							displayName: 'Cache Write (1 Hour)',
							name: 'cacheWrite1h',
							type: 'string',
							default: '',
						},
						{
							displayName: 'Cache Write (5 Min)',
							name: 'cacheWrite',
							type: 'string',
							default: '',
						},
						{
							displayName: 'Input',
							name: 'input',
							type: 'string',
							default: '',
						},
						{
							displayName: 'Model',
							name: 'model',
							type: 'string',
							default: '',
						},
						{
							displayName: 'Output',
							name: 'output',
							type: 'string',
							default: '',
						},
						{
							displayName: 'Web Searches (per 1,000)',
							name: 'webSearches',
							type: 'string',
							default: '',
							description:
								'USD per thousand web searches the provider runs (Anthropic and OpenAI: 10)',
						},
					],
				},
			],
		},
	];
}
