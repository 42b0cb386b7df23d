/** What a quota statement's row means for an item: remaining, warning crossing, headers. */
import {
	addDecimals,
	compareDecimals,
	multiplyDecimal,
	shiftDecimal,
	toDecimal,
} from '../../common/money';
import type { QuotaUnit } from './parse';

export interface QuotaRow {
	/** The layer: whose quota this is, and for which models ('' all). */
	quota_id?: string;
	subject_type?: string;
	subject_id?: string;
	models?: string;
	/** 'budget' (tokens or USD per period), or a rate or concurrency limit. */
	kind?: QuotaKind;
	/** 0 for the subject's own quotas, 1 for its parent's, and so on. */
	depth?: number;
	quota_type: QuotaUnit;
	limit_amount: string;
	used: string;
	reserved: string;
	warning_percent: string | null;
	before_total?: string;
	allowed?: boolean;
	/** False when a token quota was given a fractional amount: nothing was reserved or settled. */
	amount_fits_type?: boolean;
	found?: boolean;
	counts?: boolean;
	reservation_id?: string | null;
	/** Settle: the amount the reservation held, when it was found. */
	reserved_amount?: string | null;
	/** Check and Get: reservations of this period that expired unsettled and were charged in full. */
	expired_count?: number;
	expired_amount?: string;
	period?: string;
	period_start?: Date;
	/** Check: when the current period ends (null: it never does). */
	next_reset?: Date | null;
	/** Reserve and Check: whether the amount fits this layer. */
	fits?: boolean;
	/** Reserve and Check: an amount in one unspecified unit met layers in both units. */
	mixed_units?: boolean;
	/** Reserve and Check: the amount asked of this layer, in its unit. */
	amount?: string | null;
	/** Settle: what this layer was charged. */
	charged?: string | null;
	/** A per-minute limit that refused: milliseconds until the request would fit (null: never). */
	retry_after_ms?: string | number | null;
}

export const QUOTA_KINDS = [
	'budget',
	'requests_per_minute',
	'tokens_per_minute',
	'concurrent',
] as const;
export type QuotaKind = (typeof QUOTA_KINDS)[number];

/**
 * Why a rate or concurrency limit refused a request, and when to retry it in whole seconds (null:
 * the request is larger than the limit itself and never fits).
 */
export function rateRefusal(row: QuotaRow): { message: string; retryAfterSeconds: number | null } {
	const scope = scopeOf(row) ?? 'this subject';
	const limit = Number(row.limit_amount);
	const wait =
		row.retry_after_ms === null || row.retry_after_ms === undefined
			? null
			: Math.max(1, Math.ceil(Number(row.retry_after_ms) / 1000));
	if (row.kind === 'concurrent') {
		// A slot frees as soon as a request in flight ends.
		return {
			message: `Concurrency limit reached on ${scope}: at most ${limit} requests in flight`,
			retryAfterSeconds: 1,
		};
	}
	const unit = row.kind === 'tokens_per_minute' ? 'tokens' : 'requests';
	if (wait === null) {
		return {
			message: `Rate limit on ${scope}: this request may use up to ${row.amount ?? '?'} tokens, more than the ${limit} ${unit} per minute allowed`,
			retryAfterSeconds: null,
		};
	}
	return {
		message: `Rate limit reached on ${scope}: ${limit} ${unit} per minute. Retry after ${wait} s`,
		retryAfterSeconds: wait,
	};
}

/**
 * Every layer a subject spends on, in enforcement order, as items and the gateway show it: limit,
 * settled usage, what requests in flight hold, what is left and when the period starts again.
 */
export function describeLayers(layers: QuotaRow[]) {
	return layers.map((layer) => {
		const state = describeQuota({ ...layer, before_total: undefined });
		const rate = isRateLimit(layer);
		return {
			scope: state.scope,
			subject_type: layer.subject_type,
			subject_id: layer.subject_id,
			models: layer.models || null,
			kind: layer.kind ?? 'budget',
			quota_type: state.quota_type,
			quota_limit: state.quota_limit,
			...(rate
				? {}
				: {
						used: amountOut(layer.quota_type, layer.used),
						reserved: amountOut(layer.quota_type, layer.reserved),
						remaining: state.remaining,
						period: layer.period ?? null,
						period_start: layer.period_start?.toISOString() ?? null,
						next_reset: layer.next_reset ? layer.next_reset.toISOString() : null,
					}),
			...(layer.kind === 'concurrent' ? { in_flight: Number(layer.reserved) } : {}),
		};
	});
}

/** A rate or concurrency limit rather than a budget. */
export function isRateLimit(row: QuotaRow): boolean {
	return row.kind !== undefined && row.kind !== 'budget';
}

/** A statement's layers, in enforcement order, and the one that tells the caller. */
export type LayeredRow = QuotaRow & { layers: QuotaRow[] };

/** How a layer is named to a client (X-Quota-Scope) and in messages: `team:eng; models=gpt-5*`. */
export function scopeOf(row: QuotaRow): string | undefined {
	if (!row.subject_type) return undefined;
	const kind = row.kind && row.kind !== 'budget' ? `; limit=${row.kind}` : '';
	return `${row.subject_type}:${row.subject_id}${row.models ? `; models=${row.models}` : ''}${kind}`;
}

/** Printable ASCII as it is, anything else percent-encoded as UTF-8. */
function headerSafe(text: string): string {
	return text.replace(/[^\x20-\x7e]/gu, (c) => {
		try {
			return encodeURIComponent(c);
		} catch {
			return '%EF%BF%BD';
		}
	});
}

/** How full a layer is, as a fraction to compare (unlimited: never full). */
function fuller(a: QuotaRow, b: QuotaRow): boolean {
	const zero = (row: QuotaRow) => compareDecimals(row.limit_amount, '0') === 0;
	if (zero(a)) return false;
	if (zero(b)) return true;
	const left = (row: QuotaRow) => addDecimals(row.limit_amount, `-${row.used}`, `-${row.reserved}`);
	// left(a)/limit(a) < left(b)/limit(b), both limits above zero.
	return (
		compareDecimals(
			multiplyDecimal(left(a), b.limit_amount),
			multiplyDecimal(left(b), a.limit_amount),
		) < 0
	);
}

/**
 * The layer a caller is told about: the first that refused, in enforcement order; otherwise the
 * one with the least left of its limit (the subject's own when none is limited).
 */
export function bindingLayer(layers: QuotaRow[]): QuotaRow {
	const refused = layers.find((row) => row.fits === false || row.amount_fits_type === false);
	if (refused && layers[0].allowed !== true) return refused;
	const budgets = layers.filter((row) => !isRateLimit(row));
	if (!budgets.length) return layers[0];
	return budgets.reduce((tightest, row) => (fuller(row, tightest) ? row : tightest), budgets[0]);
}

export const QUOTA_EXHAUSTED = 'API_KEY_QUOTA_EXHAUSTED';
/** A rate or concurrency limit refused: it lifts by itself. */
export const RATE_LIMITED = 'RATE_LIMITED';

/** Tokens travel as numbers, USD as exact decimal strings. */
export function amountOut(type: QuotaUnit, value: string): number | string {
	return type === 'usd' ? toDecimal(value) : Number(value);
}

export interface QuotaState {
	quota_type: QuotaUnit;
	/** 0 means unlimited. */
	quota_limit: number | string;
	/** Settled usage plus amounts reserved by requests in flight. */
	quota_used: number | string;
	/** null when unlimited. */
	remaining: number | string | null;
	/** True when this request took usage across the warning threshold. */
	warning: boolean;
	/** The layer described, when it is known: `team:eng`. */
	scope?: string;
	headers: { 'X-Quota-Used': string; 'X-Quota-Limit': string; 'X-Quota-Scope'?: string };
}

/** What an item carries after a quota operation, from the row the statement returned. */
export function describeQuota(row: QuotaRow): QuotaState {
	const type = row.quota_type;
	const limit = toDecimal(row.limit_amount);
	const total = addDecimals(row.used, row.reserved);
	const unlimited = compareDecimals(limit, '0') === 0;
	const left = addDecimals(limit, `-${total}`);
	const remaining = unlimited ? null : compareDecimals(left, '0') < 0 ? '0' : left;
	let warning = false;
	if (!unlimited && row.warning_percent && row.before_total !== undefined) {
		const threshold = shiftDecimal(multiplyDecimal(limit, row.warning_percent), -2);
		warning =
			compareDecimals(row.before_total, threshold) < 0 && compareDecimals(total, threshold) >= 0;
	}
	const scope = scopeOf(row);
	return {
		quota_type: type,
		quota_limit: amountOut(type, limit),
		quota_used: amountOut(type, total),
		remaining: remaining === null ? null : amountOut(type, remaining),
		warning,
		...(scope ? { scope } : {}),
		headers: {
			'X-Quota-Used': total,
			'X-Quota-Limit': unlimited ? 'unlimited' : limit,
			// Subject names are anyone's text; a header carries printable ASCII only.
			...(scope ? { 'X-Quota-Scope': headerSafe(scope) } : {}),
		},
	};
}
