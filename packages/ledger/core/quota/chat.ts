/**
 * Reserving a chat call: a proven upper bound of what the request can use (tokens, or their price
 * on a USD quota) is held before the call, with the output limit clamped to what the quota can
 * still pay for. Used by Quota Check's Reserve for Chat Request and the KeyPilot Chat Model alike.
 */
import { randomUUID } from 'node:crypto';

import { addDecimals, compareDecimals } from '../../common/money';
import {
	meteredBody,
	RequestBoundError,
	reservationFor,
	type ChatRequestBound,
	type QuotaRoom,
} from '../usage/requestBound';
import type { Queryable } from '../db';
import { checkQuota, reserveQuota } from './index';
import type { QuotaSubject } from './parse';
import {
	describeQuota,
	isRateLimit,
	rateRefusal,
	scopeOf,
	type LayeredRow,
	type QuotaRow,
} from './state';

/** How long a reservation outlives the call's timeout: n8n's own work after the call. */
export const EXPIRY_MARGIN_SECONDS = 60;

export interface ChatReservationRequest {
	subject: QuotaSubject;
	/** The Chat Completions body the bound was computed from. */
	body: Record<string, unknown>;
	bound: ChatRequestBound;
	model: string;
	/** Output tokens for a request that sets no limit (fewer when the quota cannot pay for them). */
	defaultOutput: number;
	/** Seconds until an unsettled reservation is charged in full. */
	expiresIn: number;
	/** The model's highest input and output price per token, for a USD quota. */
	ceiling?: { input: string; output: string; search?: string; request?: string };
}

export interface ChatReservation {
	/** 'none': the subject has no quota; 'allowed': held; 'exhausted': refused, nothing held. */
	outcome: 'none' | 'allowed' | 'exhausted';
	row?: LayeredRow;
	reservationId?: string;
	/** The body to send (output limit set, stream usage on); absent when refused. */
	request?: Record<string, unknown>;
	summary: {
		prompt_tokens_bound: number;
		choices: number;
		output_tokens: number | null;
		/** In the unit of the subject's nearest layer. */
		reserved_amount: string | null;
		/** What the request holds on token layers and on USD layers. */
		reserved_tokens: string | null;
		reserved_usd: string | null;
	};
	/** Why it was refused, in the quota's unit. */
	message?: string;
}

/** What the layers of one unit can still pay for: the least any limited one has left. */
function roomIn(layers: QuotaRow[], type: 'tokens' | 'usd'): QuotaRoom {
	let remaining: string | null = null;
	for (const layer of layers) {
		if (isRateLimit(layer) || layer.quota_type !== type) continue;
		if (compareDecimals(layer.limit_amount, '0') === 0) continue;
		const left = addDecimals(layer.limit_amount, `-${layer.used}`, `-${layer.reserved}`);
		if (remaining === null || compareDecimals(left, remaining) < 0) remaining = left;
	}
	return { type, remaining };
}

export async function reserveForChat(
	db: Queryable,
	input: ChatReservationRequest,
): Promise<ChatReservation> {
	const state = await checkQuota(db, input.subject, {
		model: input.model,
		tokens: '0',
		usd: '0',
	});
	const layers = state?.layers ?? [];
	const priced = layers.find((layer) => !isRateLimit(layer) && layer.quota_type === 'usd');
	if (priced && !input.ceiling) {
		throw new RequestBoundError(
			'model',
			`No price is known for model "${input.model}": the USD quota of ${scopeOf(priced)} cannot meter it. Add a price override or a price table.`,
		);
	}
	// The output limit is the largest every layer can pay for (up to the default); then each
	// unit's amount is what that limit costs in it.
	const tokenPlan = reservationFor(input.bound, roomIn(layers, 'tokens'), input.defaultOutput);
	const usdPlan = input.ceiling
		? reservationFor(input.bound, roomIn(layers, 'usd'), input.defaultOutput, input.ceiling)
		: undefined;
	const fitsAll = tokenPlan !== undefined && (!priced || usdPlan !== undefined);
	const outputTokens = fitsAll
		? Math.min(tokenPlan.outputTokens, usdPlan?.outputTokens ?? tokenPlan.outputTokens)
		: undefined;
	const fixed =
		outputTokens === undefined ? undefined : { ...input.bound, outputTokens: outputTokens };
	const amounts = fixed && {
		tokens: reservationFor(fixed, { type: 'tokens', remaining: null }, outputTokens!)!.amount,
		usd: input.ceiling
			? reservationFor(fixed, { type: 'usd', remaining: null }, outputTokens!, input.ceiling)!
					.amount
			: null,
	};
	const request = fixed ? meteredBody(input.body, fixed) : undefined;
	const first = layers[0];
	const summary = {
		prompt_tokens_bound: input.bound.promptTokens,
		choices: input.bound.choices,
		output_tokens: outputTokens ?? null,
		reserved_amount:
			amounts && first ? (first.quota_type === 'usd' ? amounts.usd : amounts.tokens) : null,
		reserved_tokens: amounts?.tokens ?? null,
		reserved_usd: amounts?.usd ?? null,
	};
	if (!state) return { outcome: 'none', request, summary };
	const reservationId = randomUUID();
	const row = amounts
		? await reserveQuota(
				db,
				input.subject,
				{ model: input.model, ...amounts },
				reservationId,
				input.expiresIn,
			)
		: refusedForOneToken(state, tokenPlan === undefined ? 'tokens' : 'usd');
	if (!row) return { outcome: 'none', request, summary };
	if (row.allowed && request) {
		return {
			outcome: 'allowed',
			row,
			reservationId: row.reservation_id ?? reservationId,
			request,
			summary,
		};
	}
	if (isRateLimit(row)) {
		return { outcome: 'exhausted', row, summary, message: rateRefusal(row).message };
	}
	const unit = row.quota_type === 'usd' ? 'USD' : 'tokens';
	const { quota_used: used, quota_limit: limit } = describeQuota(row);
	const where = scopeOf(row) ? ` on ${scopeOf(row)}` : '';
	return {
		outcome: 'exhausted',
		row,
		summary,
		message: amounts
			? `Quota exhausted${where}: ${String(used)} of ${String(limit)} ${unit} used, this request may use up to ${row.amount ?? (row.quota_type === 'usd' ? amounts.usd : amounts.tokens)}`
			: `Quota exhausted${where}: ${String(used)} of ${String(limit)} ${unit} used, not enough left for this prompt and one output token`,
	};
}

/** The layers as Check read them, refused by the one of `unit` with the least left. */
function refusedForOneToken(state: LayeredRow, unit: 'tokens' | 'usd'): LayeredRow {
	const layers = state.layers.map((layer) => ({ ...layer, allowed: false }));
	const { remaining } = roomIn(layers, unit);
	const full =
		layers.find(
			(layer) =>
				!isRateLimit(layer) &&
				layer.quota_type === unit &&
				remaining !== null &&
				compareDecimals(
					addDecimals(layer.limit_amount, `-${layer.used}`, `-${layer.reserved}`),
					remaining,
				) === 0,
		) ?? layers[0];
	return { ...full, allowed: false, reservation_id: null, layers };
}
