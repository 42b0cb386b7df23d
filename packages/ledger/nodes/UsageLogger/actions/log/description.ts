/** The Log operation's fields. */
import type { INodeProperties } from 'n8n-workflow';
import { API_FLAVORS, type ApiFlavor } from '../../../../core/usage/types';
import { priceFields } from '../../../pricing/priceFields';

const here = { show: { operation: ['log'] } };
const inMode = (mode: string) => ({ show: { operation: ['log'], inputMode: [mode] } });

const FLAVOR_NAMES: Record<ApiFlavor, string> = {
	openai_chat: 'OpenAI Chat Completions',
	openai_responses: 'OpenAI Responses',
	openai_embeddings: 'OpenAI Embeddings',
	azure_openai: 'Azure OpenAI',
	anthropic_messages: 'Anthropic Messages',
	gemini: 'Google Gemini',
	openrouter: 'OpenRouter',
	volcengine_ark: 'Volcengine Ark',
};

const countField = (name: string, displayName: string): INodeProperties => ({
	displayName,
	name,
	type: 'number',
	default: 0,
	displayOptions: inMode('fields'),
});

export const description: INodeProperties[] = [
	{
		displayName: 'Input Mode',
		name: 'inputMode',
		type: 'options',
		options: [
			{
				name: 'Provider Response',
				value: 'response',
				description: 'Read model, request ID and token counts from the response or its stream',
			},
			{
				name: 'Mapped Fields',
				value: 'fields',
				description: 'Take the counts from fields you map, for any other source',
			},
		],
		default: 'response',
		displayOptions: here,
	},
	{
		displayName: 'Response',
		name: 'response',
		type: 'json',
		default: '={{ $json }}',
		description:
			"The provider's response: a parsed JSON body, its text, or the raw text of its Server-Sent-Events stream",
		displayOptions: inMode('response'),
	},
	{
		displayName: 'Provider',
		name: 'provider',
		type: 'options',
		options: [
			{ name: 'Detect', value: 'auto', description: 'From the request URL, or else the response' },
			...API_FLAVORS.map((value) => ({ name: FLAVOR_NAMES[value], value })),
		],
		default: 'auto',
		displayOptions: inMode('response'),
	},
	{
		displayName: 'Request URL',
		name: 'requestUrl',
		type: 'string',
		default: '',
		placeholder: 'https://api.openai.com/v1/chat/completions',
		description: 'Where the request went; tells OpenAI-compatible providers apart',
		displayOptions: inMode('response'),
	},
	{
		displayName: 'Request Body',
		name: 'requestBody',
		type: 'json',
		default: '',
		description:
			'The request that was sent, for what its answer does not report: OpenAI bills a Chat Completions request with web_search_options (or to a search model) for one web search, which its usage leaves out',
		displayOptions: inMode('response'),
	},
	{
		displayName: 'Provider Name',
		name: 'providerName',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'my-llm-proxy',
		displayOptions: inMode('fields'),
	},
	{
		displayName: 'Model',
		name: 'model',
		type: 'string',
		default: '',
		displayOptions: inMode('fields'),
	},
	{
		displayName: 'Usage Known',
		name: 'usageKnown',
		type: 'boolean',
		default: true,
		description:
			'Whether the provider said what the request used. Off when it gave no answer (a timeout, a reset connection): the row then says its usage is not known (usage_complete false, no counts), and a reservation settled with it is charged in full.',
		displayOptions: inMode('fields'),
	},
	countField('inputTokens', 'Input Tokens (Uncached)'),
	countField('outputTokens', 'Output Tokens'),
	countField('cacheReadTokens', 'Cache Read Tokens'),
	countField('cacheWrite5mTokens', 'Cache Write Tokens (5 Min)'),
	countField('cacheWrite1hTokens', 'Cache Write Tokens (1 Hour)'),
	countField('reasoningTokens', 'Reasoning Tokens (Part of Output)'),
	countField('webSearchRequests', 'Web Searches'),
	{
		displayName: 'Cost (USD)',
		name: 'knownCost',
		type: 'string',
		default: '',
		description: 'Leave empty to price the counts; a value here is stored as given',
		displayOptions: inMode('fields'),
	},
	{
		displayName: 'Request Details',
		name: 'details',
		type: 'collection',
		placeholder: 'Add Detail',
		default: {},
		displayOptions: here,
		options: [
			{
				displayName: 'API Key',
				name: 'apiKey',
				type: 'string',
				typeOptions: { password: true },
				default: '',
				description:
					'The key the request used; only its SHA-256 is stored and output (a leading "Bearer " is ignored)',
			},
			{ displayName: 'Client IP', name: 'clientIp', type: 'string', default: '' },
			{ displayName: 'Error Message', name: 'errorMessage', type: 'string', default: '' },
			{ displayName: 'HTTP Method', name: 'httpMethod', type: 'string', default: '' },
			{ displayName: 'Key ID', name: 'keyId', type: 'string', default: '' },
			{ displayName: 'Key Name', name: 'keyName', type: 'string', default: '' },
			{
				displayName: 'Request ID',
				name: 'requestId',
				type: 'string',
				default: '',
				description: "Overrides the provider's response ID; a request ID is stored once",
			},
			{ displayName: 'Response Time (Ms)', name: 'responseMs', type: 'number', default: 0 },
			{
				displayName: 'Route',
				name: 'route',
				type: 'string',
				default: '',
				placeholder: '/v1/chat/completions',
			},
			{ displayName: 'Status Code', name: 'statusCode', type: 'number', default: 200 },
			{
				displayName: 'Timestamp',
				name: 'timestamp',
				type: 'dateTime',
				default: '',
				description: 'When the request was made; now if empty',
			},
			{ displayName: 'User Agent', name: 'userAgent', type: 'string', default: '' },
		],
	},
	...priceFields('log'),
	{
		displayName: 'Settle a Quota Reservation',
		name: 'settleReservation',
		type: 'boolean',
		default: false,
		description:
			"Whether to settle the request's Quota Check reservation in the same transaction as its usage row: with its tokens (token quota) or cost (USD quota). Missing or incomplete usage, or a cost no price is known for, settles the whole reservation.",
		displayOptions: here,
	},
	{
		displayName: 'Quota Subject Type',
		name: 'settleSubjectType',
		type: 'options',
		options: [
			{ name: 'API Key', value: 'api_key', description: 'Hashed with SHA-256 at once' },
			{ name: 'API Key Hash', value: 'key_hash' },
			{ name: 'API Key ID', value: 'key_id' },
			{ name: 'Internal Token Hash', value: 'token_hash' },
			{ name: 'Project', value: 'project' },
			{ name: 'Provider Account', value: 'account' },
		],
		default: 'token_hash',
		displayOptions: { show: { operation: ['log'], settleReservation: [true] } },
	},
	{
		displayName: 'Quota Subject',
		name: 'settleSubject',
		type: 'string',
		default: '',
		required: true,
		displayOptions: { show: { operation: ['log'], settleReservation: [true] } },
	},
	{
		displayName: 'Reservation ID',
		name: 'reservationId',
		type: 'string',
		default: '',
		required: true,
		placeholder: "={{ $('Reserve Quota').item.json.quota.reservation_id }}",
		displayOptions: { show: { operation: ['log'], settleReservation: [true] } },
	},
];
