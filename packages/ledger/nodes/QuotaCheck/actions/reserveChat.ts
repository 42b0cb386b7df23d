import type { Operation } from '../../../common/operation';
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { QuotaSubject } from '../../../core/quota';
import { EXPIRY_MARGIN_SECONDS, reserveForChat } from '../../../core/quota/chat';
import { priceCeiling } from '../../../core/usage/pricing';
import {
	boundChatRequest,
	RequestBoundError,
	type ChatRequestBound,
} from '../../../core/usage/requestBound';
import { priceFields } from '../../pricing/priceFields';
import { loadPrices, type Prices } from '../../pricing/prices';
import {
	AmountTypeError,
	missingQuota,
	quotaOutput,
	readInput,
	readSubject,
	refusalOf,
	showFor,
} from './common';
import { perQuotaItem } from './write';

const here = showFor(['reserveChat']);

interface ReserveChatInput {
	subject: QuotaSubject;
	body: Record<string, unknown>;
	bound: ChatRequestBound;
	defaultOutput: number;
	expiresIn: number;
	whenNoQuota: string;
	ceiling?: { input: string; output: string };
	model: string;
}

/** The body as an object: a JSON string is parsed; what does not parse is an error. */
function parsedBody(value: unknown): unknown {
	if (typeof value !== 'string') return value;
	let parsed: unknown = NOT_JSON;
	try {
		parsed = JSON.parse(value);
	} catch {
		// Reported below.
	}
	if (parsed === NOT_JSON)
		throw new RequestBoundError('body', 'The request body is not valid JSON');
	return parsed;
}
const NOT_JSON = Symbol('not JSON');

/**
 * Reserve for an OpenAI-compatible chat request: a proven upper bound of its tokens (or their
 * price, on a USD quota) is held before the call, and the request to send is returned with its
 * output limit set and, for a stream, usage reporting switched on.
 */
export const operation: Operation<ReserveChatInput, Prices> = {
	option: {
		name: 'Reserve for Chat Request',
		value: 'reserveChat',
		action: 'Reserve quota for a chat request',
		description:
			'Hold a proven upper bound of an OpenAI-compatible chat request (prompt and output, in tokens or USD) and return the request to send, its output limit set',
	},
	description: [
		{
			displayName: 'Request Body',
			name: 'requestBody',
			type: 'json',
			default: '={{ $json.body }}',
			required: true,
			description:
				'The Chat Completions request as the caller sent it. The node returns the body to send upstream in "metered_request".',
			displayOptions: here,
		},
		{
			displayName: 'Output Limit When Absent',
			name: 'defaultOutputTokens',
			type: 'number',
			default: 4096,
			typeOptions: { minValue: 1 },
			description:
				'A request without max_tokens or max_completion_tokens gets this many output tokens, or fewer if the quota cannot pay for more',
			displayOptions: here,
		},
		{
			displayName: 'Upstream Timeout (Seconds)',
			name: 'upstreamTimeout',
			type: 'number',
			default: 120,
			typeOptions: { minValue: 1 },
			description: `Set the provider call's timeout to this. The reservation expires ${EXPIRY_MARGIN_SECONDS} seconds later and, if nothing settled it by then, is charged in full.`,
			displayOptions: here,
		},
		{
			displayName: 'Pricing Provider',
			name: 'pricingProvider',
			type: 'options',
			options: [
				{ name: 'Anthropic', value: 'anthropic' },
				{ name: 'Azure OpenAI', value: 'azure_openai' },
				{ name: 'Google', value: 'google' },
				{ name: 'OpenAI', value: 'openai' },
				{ name: 'OpenRouter', value: 'openrouter' },
			],
			default: 'openai',
			description: "Whose prices a USD quota converts with (the Usage Logger's provider)",
			displayOptions: here,
		},
		...priceFields('reserveChat'),
	],

	async prepare(this: IExecuteFunctions) {
		return await loadPrices.call(this);
	},

	check(this: IExecuteFunctions, i: number, prepared?: unknown) {
		return readInput(this.getNode(), i, () => {
			const subject = readSubject.call(this, i);
			const body = parsedBody(this.getNodeParameter('requestBody', i, undefined));
			const bound = boundChatRequest(body);
			const model = String((body as IDataObject).model);
			const prices = prepared as Prices;
			const provider = this.getNodeParameter('pricingProvider', i, 'openai') as string;
			const pricing =
				prices.overrides.find(model, provider) ?? prices.catalog.find(model, provider);
			const positive = (name: string, label: string, fallback: number) => {
				const value = this.getNodeParameter(name, i, fallback) as number;
				if (!Number.isInteger(value) || value < 1) {
					throw new RequestBoundError(
						label,
						`"${label}" must be a whole number of at least 1, got ${value}`,
					);
				}
				return value;
			};
			return {
				subject,
				body: body as Record<string, unknown>,
				bound,
				model,
				defaultOutput: positive('defaultOutputTokens', 'Output Limit When Absent', 4096),
				expiresIn:
					positive('upstreamTimeout', 'Upstream Timeout (Seconds)', 120) + EXPIRY_MARGIN_SECONDS,
				whenNoQuota: this.getNodeParameter('whenNoQuota', i, 'allow') as string,
				ceiling: pricing ? priceCeiling(pricing) : undefined,
			};
		});
	},

	write: perQuotaItem(async (db, input) => {
		const reservation = await reserveForChat(db, input);
		const bound = reservation.summary;
		if (reservation.outcome === 'none') {
			const routed = missingQuota(input.subject, input.whenNoQuota);
			return routed.output === 0
				? { ...routed, quota: { ...routed.quota, ...bound }, request: reservation.request }
				: { ...routed, quota: { ...routed.quota, ...bound } };
		}
		const row = reservation.row!;
		if (row.amount_fits_type === false)
			throw new AmountTypeError('Estimated Amount', bound.reserved_amount ?? '');
		const quota = { ...quotaOutput(input.subject, row), allowed: row.allowed === true, ...bound };
		if (reservation.outcome === 'allowed') {
			return {
				output: 0,
				quota: { ...quota, reservation_id: reservation.reservationId },
				request: reservation.request,
			};
		}
		return { output: 1, quota: { ...quota, ...refusalOf(row, reservation.message) } };
	}),
};
