/** What a quota statement's row means for an item: remaining, warning crossing, headers. */
import {
	addDecimals,
	compareDecimals,
	multiplyDecimal,
	shiftDecimal,
	toDecimal,
} from '../../common/money';
import type { QuotaType } from './parse';

export interface QuotaRow {
	quota_type: QuotaType;
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
}

export const QUOTA_EXHAUSTED = 'API_KEY_QUOTA_EXHAUSTED';

/** Tokens travel as numbers, USD as exact decimal strings. */
export function amountOut(type: QuotaType, value: string): number | string {
	return type === 'tokens' ? Number(value) : toDecimal(value);
}

export interface QuotaState {
	quota_type: QuotaType;
	/** 0 means unlimited. */
	quota_limit: number | string;
	/** Settled usage plus amounts reserved by requests in flight. */
	quota_used: number | string;
	/** null when unlimited. */
	remaining: number | string | null;
	/** True when this request took usage across the warning threshold. */
	warning: boolean;
	headers: { 'X-Quota-Used': string; 'X-Quota-Limit': string };
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
	return {
		quota_type: type,
		quota_limit: amountOut(type, limit),
		quota_used: amountOut(type, total),
		remaining: remaining === null ? null : amountOut(type, remaining),
		warning,
		headers: { 'X-Quota-Used': total, 'X-Quota-Limit': unlimited ? 'unlimited' : limit },
	};
}
