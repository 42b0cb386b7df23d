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
import { describeQuota, type QuotaRow } from './state';

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
	row?: QuotaRow;
	reservationId?: string;
	/** The body to send (output limit set, stream usage on); absent when refused. */
	request?: Record<string, unknown>;
	summary: {
		prompt_tokens_bound: number;
		choices: number;
		output_tokens: number | null;
		reserved_amount: string | null;
	};
	/** Why it was refused, in the quota's unit. */
	message?: string;
}

export async function reserveForChat(
	db: Queryable,
	input: ChatReservationRequest,
): Promise<ChatReservation> {
	const state = await checkQuota(db, input.subject, '0');
	if (state?.quota_type === 'usd' && !input.ceiling) {
		throw new RequestBoundError(
			'model',
			`No price is known for model "${input.model}": a USD quota cannot meter it. Add a price override or a price table.`,
		);
	}
	const room: QuotaRoom = {
		type: state?.quota_type ?? 'tokens',
		remaining:
			!state || compareDecimals(state.limit_amount, '0') === 0
				? null
				: addDecimals(state.limit_amount, `-${state.used}`, `-${state.reserved}`),
	};
	const planned = reservationFor(input.bound, room, input.defaultOutput, input.ceiling);
	const request = planned
		? meteredBody(input.body, { ...input.bound, outputTokens: planned.outputTokens })
		: undefined;
	const summary = {
		prompt_tokens_bound: input.bound.promptTokens,
		choices: input.bound.choices,
		output_tokens: planned?.outputTokens ?? null,
		reserved_amount: planned?.amount ?? null,
	};
	if (!state) return { outcome: 'none', request, summary };
	const reservationId = randomUUID();
	const row = planned
		? await reserveQuota(db, input.subject, planned.amount, reservationId, input.expiresIn)
		: { ...state, allowed: false, reservation_id: null };
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
	const unit = row.quota_type === 'usd' ? 'USD' : 'tokens';
	const { quota_used: used, quota_limit: limit } = describeQuota(row);
	return {
		outcome: 'exhausted',
		row,
		summary,
		message: planned
			? `Quota exhausted: ${String(used)} of ${String(limit)} ${unit} used, this request may use up to ${planned.amount}`
			: `Quota exhausted: ${String(used)} of ${String(limit)} ${unit} used, not enough left for this prompt and one output token`,
	};
}
