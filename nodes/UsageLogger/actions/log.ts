import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { keyHash } from '../../shared/core/keyHash';
import {
	describeQuota,
	settleWithUsage,
	type QuotaSubject,
	type UsageSettlement,
} from '../../shared/core/quota';
import { toDecimal } from '../../shared/core/money';
import { extractUsage, NO_COUNTS } from '../../shared/core/usage/extract';
import { costOf } from '../../shared/core/usage/pricing';
import { insertUsageRows, type UsageRow } from '../../shared/core/usage/store';
import {
	API_FLAVORS,
	totalTokens,
	UsageInputError,
	wholeCount,
	type ApiFlavor,
	type ExtractedUsage,
	type TokenCounts,
} from '../../shared/core/usage/types';
import { withPostgres } from '../../shared/postgres/pool';
import { SET_UP_HINT } from '../../shared/core/ledger/schema';
import { asNodeError, failedItem } from '../../shared/router';
import { priceFields } from '../priceFields';
import { loadPrices, type Prices } from '../prices';

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
	countField('inputTokens', 'Input Tokens (Uncached)'),
	countField('outputTokens', 'Output Tokens'),
	countField('cacheReadTokens', 'Cache Read Tokens'),
	countField('cacheWrite5mTokens', 'Cache Write Tokens (5 Min)'),
	countField('cacheWrite1hTokens', 'Cache Write Tokens (1 Hour)'),
	countField('reasoningTokens', 'Reasoning Tokens (Part of Output)'),
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

function textDetail(details: IDataObject, name: string): string | null {
	const value = details[name];
	return value === undefined || value === null || String(value).trim() === ''
		? null
		: String(value);
}

function wholeDetail(details: IDataObject, name: string, label: string): number | null {
	return wholeCount(details[name], label, 'a whole number');
}

function fieldCount(
	this: IExecuteFunctions,
	name: string,
	label: string,
	i: number,
): number | null {
	return wholeCount(this.getNodeParameter(name, i, 0), label);
}

function mappedUsage(this: IExecuteFunctions, i: number): ExtractedUsage {
	const provider = String(this.getNodeParameter('providerName', i, '')).trim();
	if (!provider) throw new UsageInputError('Provider Name', '"Provider Name" is required');
	const counts: TokenCounts = {
		input_tokens: fieldCount.call(this, 'inputTokens', 'Input Tokens (Uncached)', i),
		output_tokens: fieldCount.call(this, 'outputTokens', 'Output Tokens', i),
		cache_read_tokens: fieldCount.call(this, 'cacheReadTokens', 'Cache Read Tokens', i),
		cache_write_5m_tokens: fieldCount.call(
			this,
			'cacheWrite5mTokens',
			'Cache Write Tokens (5 Min)',
			i,
		),
		cache_write_1h_tokens: fieldCount.call(
			this,
			'cacheWrite1hTokens',
			'Cache Write Tokens (1 Hour)',
			i,
		),
		reasoning_tokens: fieldCount.call(
			this,
			'reasoningTokens',
			'Reasoning Tokens (Part of Output)',
			i,
		),
	};
	const known = String(this.getNodeParameter('knownCost', i, '') ?? '').trim();
	let cost: string | null = null;
	if (known) {
		try {
			cost = toDecimal(known);
		} catch {
			cost = '-';
		}
		if (cost.startsWith('-')) {
			throw new UsageInputError(
				'Cost (USD)',
				`"Cost (USD)" must be an amount in USD, zero or more, got ${JSON.stringify(known)}`,
			);
		}
	}
	return {
		provider,
		api_flavor: 'manual',
		model: String(this.getNodeParameter('model', i, '')).trim() || null,
		request_id: null,
		...counts,
		total_tokens: totalTokens(counts),
		usage_complete: true,
		streamed: false,
		provider_cost_usd: cost,
	};
}

function price(
	usage: ExtractedUsage,
	prices: Prices,
): { cost_usd: string | null; price_source: string | null; warning?: string } {
	const override = usage.model ? prices.overrides.find(usage.model, usage.provider) : undefined;
	if (override) return costOf(usage, override);
	if (usage.provider_cost_usd !== null) {
		return {
			cost_usd: usage.provider_cost_usd,
			price_source: usage.api_flavor === 'manual' ? 'given' : `${usage.provider}:reported`,
		};
	}
	const pricing = usage.model ? prices.catalog.find(usage.model, usage.provider) : undefined;
	if (!pricing) {
		return {
			cost_usd: null,
			price_source: null,
			warning: `No price is known for model "${usage.model ?? '(none)'}" of ${usage.provider}: cost left empty. Add a price override or a LiteLLM-format price table.`,
		};
	}
	return costOf(usage, pricing);
}

interface Prepared {
	row: UsageRow;
	output: IDataObject;
	settle?: { subject: QuotaSubject; reservationId: string };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The reservation to settle with this item's usage, or undefined when settling is off. */
function readSettlement(this: IExecuteFunctions, i: number): Prepared['settle'] {
	if (!this.getNodeParameter('settleReservation', i, false)) return undefined;
	const type = String(this.getNodeParameter('settleSubjectType', i, 'token_hash'));
	const id = String(this.getNodeParameter('settleSubject', i, '') ?? '').trim();
	if (!id) throw new UsageInputError('Quota Subject', '"Quota Subject" is required to settle');
	const reservationId = String(this.getNodeParameter('reservationId', i, '') ?? '').trim();
	// No reservation (a subject without a quota was let through): nothing to settle.
	if (!reservationId) return undefined;
	if (!UUID.test(reservationId)) {
		throw new UsageInputError(
			'Reservation ID',
			`"Reservation ID" must be the reservation_id Quota Check returned, got ${JSON.stringify(reservationId)}`,
		);
	}
	const subject = type === 'api_key' ? { type: 'key_hash', id: keyHash(id) } : { type, id };
	return { subject, reservationId };
}

/**
 * A response with no usage to read, when a reservation waits for it: logged with no counts and
 * usage_complete false, so the whole reservation is charged instead of the request going free.
 */
function usageMissing(response: unknown, reason: UsageInputError): ExtractedUsage {
	let body: unknown = response;
	if (typeof body === 'string') {
		try {
			body = JSON.parse(body);
		} catch {
			body = undefined;
		}
	}
	const fields = (typeof body === 'object' && body !== null ? body : {}) as IDataObject;
	return {
		provider: 'unknown',
		api_flavor: 'manual',
		model: typeof fields.model === 'string' ? fields.model : null,
		request_id: typeof fields.id === 'string' ? fields.id : null,
		...NO_COUNTS,
		total_tokens: null,
		usage_complete: false,
		streamed: false,
		provider_cost_usd: null,
		missing: reason.message,
	} as ExtractedUsage & { missing: string };
}

function prepare(this: IExecuteFunctions, i: number, prices: Prices): Prepared {
	const mode = this.getNodeParameter('inputMode', i, 'response') as string;
	const settle = readSettlement.call(this, i);
	let usage: ExtractedUsage;
	if (mode === 'fields') {
		usage = mappedUsage.call(this, i);
	} else {
		const provider = this.getNodeParameter('provider', i, 'auto') as string;
		const response = this.getNodeParameter('response', i, undefined);
		let extracted: ExtractedUsage | UsageInputError;
		try {
			extracted = extractUsage(response, {
				flavor: provider === 'auto' ? undefined : (provider as ApiFlavor),
				url: String(this.getNodeParameter('requestUrl', i, '') ?? '') || undefined,
			});
		} catch (error) {
			if (!(error instanceof UsageInputError)) {
				throw new NodeOperationError(this.getNode(), error as Error, { itemIndex: i });
			}
			extracted = error;
		}
		// A reservation waiting for this usage is charged in full rather than left unsettled.
		if (extracted instanceof UsageInputError && !settle) throw extracted;
		usage = extracted instanceof UsageInputError ? usageMissing(response, extracted) : extracted;
	}
	const details = this.getNodeParameter('details', i, {}) as IDataObject;
	const apiKey = textDetail(details, 'apiKey');
	const timestamp = textDetail(details, 'timestamp');
	const loggedAt = timestamp ? new Date(timestamp) : new Date();
	if (Number.isNaN(loggedAt.getTime())) {
		throw new UsageInputError(
			'Timestamp',
			`"Timestamp" is not a date: ${JSON.stringify(timestamp)}`,
		);
	}
	const cost = price(usage, prices);
	const row: UsageRow = {
		logged_at: loggedAt.toISOString(),
		provider: usage.provider,
		api_flavor: usage.api_flavor,
		model: usage.model,
		request_id: textDetail(details, 'requestId') ?? usage.request_id,
		key_hash: apiKey ? keyHash(apiKey) : null,
		key_id: textDetail(details, 'keyId'),
		key_name: textDetail(details, 'keyName'),
		route: textDetail(details, 'route'),
		http_method: textDetail(details, 'httpMethod')?.toUpperCase() ?? null,
		status_code: wholeDetail(details, 'statusCode', 'Status Code'),
		response_ms: wholeDetail(details, 'responseMs', 'Response Time (Ms)'),
		client_ip: textDetail(details, 'clientIp'),
		user_agent: textDetail(details, 'userAgent'),
		error_message:
			textDetail(details, 'errorMessage') ?? (usage as { missing?: string }).missing ?? null,
		input_tokens: usage.input_tokens,
		output_tokens: usage.output_tokens,
		cache_read_tokens: usage.cache_read_tokens,
		cache_write_5m_tokens: usage.cache_write_5m_tokens,
		cache_write_1h_tokens: usage.cache_write_1h_tokens,
		reasoning_tokens: usage.reasoning_tokens,
		total_tokens: usage.total_tokens,
		usage_complete: usage.usage_complete,
		streamed: usage.streamed,
		cost_usd: cost.cost_usd,
		price_source: cost.price_source,
		execution_id: this.getExecutionId?.() ?? null,
	};
	const shown: Partial<UsageRow> = { ...row };
	delete shown.execution_id;
	return {
		row,
		settle,
		output: {
			...shown,
			...(cost.warning ? { warning: cost.warning } : {}),
		} as unknown as IDataObject,
	};
}

function settlementOutput(settlement: UsageSettlement): IDataObject {
	const { row, ...rest } = settlement;
	return { ...rest, ...(row ? describeQuota(row) : {}) } as unknown as IDataObject;
}

/**
 * Reads every item first. Without Continue On Fail, one bad item fails the node and nothing of
 * the batch is written; with it, bad items become error items and the rest are written. All rows
 * of the execution go to Postgres in one transaction.
 */
export async function log(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const prices = await loadPrices.call(this);
	const prepared: Array<Prepared | Error> = [];
	for (let i = 0; i < items.length; i++) {
		try {
			prepared.push(prepare.call(this, i, prices));
		} catch (error) {
			const failure =
				error instanceof UsageInputError
					? new NodeOperationError(this.getNode(), `${error.message} (item ${i})`, {
							itemIndex: i,
							description: `Check "${error.field}"`,
						})
					: asNodeError(this.getNode(), error, i);
			if (!this.continueOnFail()) throw failure;
			prepared.push(failure);
		}
	}

	const rows = prepared
		.filter((entry): entry is Prepared => !(entry instanceof Error))
		.map((entry) => entry.row);
	const settlements = new Map<number, UsageSettlement>();
	// Under Continue, a batch that could not be written fails every item in n8n's error shape:
	// a thrown error would pass the input on as if it had been logged (and charged).
	let writeFailure: Error | undefined;
	if (rows.length) {
		try {
			await withPostgres.call(this, async (client) => {
				try {
					await client.query('BEGIN');
					await insertUsageRows(client, rows);
					// Usage and its charge are written together, or neither is.
					for (const [i, entry] of prepared.entries()) {
						if (entry instanceof Error || !entry.settle) continue;
						settlements.set(
							i,
							await settleWithUsage(
								client,
								entry.settle.subject,
								entry.settle.reservationId,
								entry.row,
							),
						);
					}
					await client.query('COMMIT');
				} catch (error) {
					await client.query('ROLLBACK').catch(() => undefined);
					const code = (error as { code?: string }).code;
					throw new NodeOperationError(
						this.getNode(),
						code === '42P01'
							? `The usage table does not exist in this database. ${SET_UP_HINT}`
							: `Could not write the usage rows: ${(error as Error).message}`,
						{ description: 'Nothing of this batch was written' },
					);
				}
			});
		} catch (error) {
			const failure = asNodeError(this.getNode(), error, 0);
			if (!this.continueOnFail()) throw failure;
			writeFailure = failure;
			settlements.clear();
		}
	}

	// A model without a price is worth a look at the node, not only inside each item.
	if (!writeFailure) {
		const unpriced = new Set(
			prepared
				.filter((entry): entry is Prepared => !(entry instanceof Error))
				.map((entry) => entry.output.warning)
				.filter((warning): warning is string => typeof warning === 'string'),
		);
		if (unpriced.size)
			this.addExecutionHints?.(
				...[...unpriced].map((message) => ({ message, location: 'outputPane' as const })),
			);
	}

	return [
		prepared.map((entry, i) =>
			entry instanceof Error || writeFailure
				? failedItem(entry instanceof Error ? entry : writeFailure!, i)
				: {
						json: {
							...items[i].json,
							usage: entry.output,
							...(settlements.has(i) ? { quota: settlementOutput(settlements.get(i)!) } : {}),
						},
						pairedItem: { item: i },
					},
		),
	];
}
