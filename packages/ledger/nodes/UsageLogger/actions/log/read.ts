/** Reading one item for Log: its usage (extracted or mapped), price, key and settlement. */
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import { keyHash } from '../../../../core/keyHash';
import { type QuotaSubject } from '../../../../core/quota';
import { toDecimal } from '../../../../common/money';
import { extractUsage, missingUsage } from '../../../../core/usage/extract';
import { priceUsage } from '../../../../core/usage/price';
import {
	chatSearches,
	RequestBoundError,
	withChatSearch,
	type ChatRequestBound,
} from '../../../../core/usage/requestBound';
import { usageRow } from '../../../../core/usage/row';
import type { UsageRow } from '../../../../core/usage/store';
import {
	totalTokens,
	UsageInputError,
	wholeCount,
	type ApiFlavor,
	type ExtractedUsage,
	type TokenCounts,
} from '../../../../core/usage/types';
import { type Prices } from '../../../pricing/prices';

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
	if (this.getNodeParameter('usageKnown', i, true) === false) {
		const model = String(this.getNodeParameter('model', i, '')).trim() || null;
		return missingUsage(
			{ provider, api_flavor: 'manual', model, request_id: null },
			'The provider gave no answer',
		);
	}
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
		web_search_requests: wholeCount(
			this.getNodeParameter('webSearchRequests', i, 0),
			'Web Searches',
			'a whole number of searches',
		),
		web_fetch_requests: null,
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

export interface Prepared {
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
	return missingUsage(
		{
			provider: 'unknown',
			api_flavor: 'manual',
			model: typeof fields.model === 'string' ? fields.model : null,
			request_id: typeof fields.id === 'string' ? fields.id : null,
		},
		reason.message,
	);
}

/**
 * What the Request Body says of the web searches the request asked for; undefined when none was
 * given; an error naming the field when it is not a request that can be read.
 */
function requestedSearches(
	body: unknown,
): Pick<ChatRequestBound, 'searches' | 'searchLimit'> | UsageInputError | undefined {
	if (body === undefined || body === null || (typeof body === 'string' && !body.trim())) {
		return undefined;
	}
	const unreadable = new UsageInputError(
		'Request Body',
		'"Request Body" must be the JSON request that was sent, with its model',
	);
	try {
		const request = (typeof body === 'string' ? JSON.parse(body) : body) as unknown;
		const fields = request as Record<string, unknown> | null;
		if (typeof fields !== 'object' || fields === null || typeof fields.model !== 'string') {
			return unreadable;
		}
		return chatSearches(fields as Record<string, unknown> & { model: string });
	} catch (error) {
		return error instanceof RequestBoundError
			? new UsageInputError('Request Body', `"Request Body": ${error.message}`)
			: unreadable;
	}
}

export function prepare(this: IExecuteFunctions, i: number, prices: Prices): Prepared {
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
		const searches = requestedSearches(this.getNodeParameter('requestBody', i, '') as unknown);
		if (searches instanceof UsageInputError) {
			if (!settle) throw searches;
			// What the request asked for is not known: the reservation, which held it, is charged in full.
			usage = usageMissing(response, searches);
		} else if (searches) {
			usage = withChatSearch(usage, { api: 'chat', ...searches });
		}
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
	const cost = priceUsage(usage, prices);
	const row = usageRow(usage, cost, {
		logged_at: loggedAt.toISOString(),
		request_id: textDetail(details, 'requestId'),
		key_hash: apiKey ? keyHash(apiKey) : null,
		key_id: textDetail(details, 'keyId'),
		key_name: textDetail(details, 'keyName'),
		route: textDetail(details, 'route'),
		http_method: textDetail(details, 'httpMethod')?.toUpperCase() ?? null,
		status_code: wholeDetail(details, 'statusCode', 'Status Code'),
		response_ms: wholeDetail(details, 'responseMs', 'Response Time (Ms)'),
		client_ip: textDetail(details, 'clientIp'),
		user_agent: textDetail(details, 'userAgent'),
		error_message: textDetail(details, 'errorMessage'),
		execution_id: this.getExecutionId?.() ?? null,
		workflow_id: this.getWorkflow?.().id ?? null,
	});
	const shown: Partial<UsageRow> = { ...row };
	delete shown.execution_id;
	delete shown.workflow_id;
	return {
		row,
		settle,
		output: {
			...shown,
			...(cost.warning ? { warning: cost.warning } : {}),
		} as unknown as IDataObject,
	};
}
