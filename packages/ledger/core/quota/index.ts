/**
 * Per-subject quotas kept in Postgres (tables created by the ledger migrations). Every reserve and settle
 * is one SQL statement that first locks the quota row, so concurrent requests on any number of
 * n8n workers are serialized by Postgres itself; nothing is read in one statement and written
 * in another. Period boundaries come from keypilot_period_start() in the schema, which
 * every statement here uses. Pure: no n8n import; the database is anything with pg's `query`.
 */
import { compareDecimals, toDecimal } from '../../common/money';
import type { Queryable } from '../db';
import type { QuotaPeriod, QuotaSubject, QuotaType, QuotaUnit } from './parse';
import { bindingLayer, isRateLimit, type LayeredRow, type QuotaKind, type QuotaRow } from './state';
import {
	ALERTS_SQL,
	CHECK_SQL,
	RESERVE_SQL,
	QUOTA_SUBJECT,
	RESERVE_LAYERS_WHEN_CURRENT_SQL,
	RESERVE_WHEN_CURRENT_SQL,
	RESET_SQL,
	SET_PARENT_SQL,
	SET_SQL,
	SETTLE_SQL,
	SWEEP_SQL,
} from './statements';

export * from './parse';
export * from './state';
export * from './statements';

/**
 * The hot statements are sent as named prepared statements: each connection plans them once,
 * which is most of their cost (their CTEs take longer to plan than to run).
 */
function prepared(name: string, text: string, values: unknown[]) {
	return { name: `keypilot_${name}`, text, values };
}

export interface QuotaAlert {
	subject_type: string;
	subject_id: string;
	/** The quota's model pattern; '' for all models. */
	models: string;
	kind: 'warning' | 'exhausted';
	quota_type: QuotaType;
	quota_used: string;
	quota_limit: string;
	period_start: Date;
}

export async function recordAlerts(db: Queryable): Promise<QuotaAlert[]> {
	const { rows } = await db.query<QuotaAlert>(ALERTS_SQL);
	return rows.sort((a, b) =>
		`${a.subject_type}/${a.subject_id}/${a.models}/${a.kind}`.localeCompare(
			`${b.subject_type}/${b.subject_id}/${b.models}/${b.kind}`,
		),
	);
}

export interface SweptQuota {
	subject_type: string;
	subject_id: string;
	models: string;
	quota_type: QuotaType;
	limit_amount: string;
	used: string;
	reserved: string;
	expired_count: number;
	expired_amount: string;
	/** The part charged as usage: what expired in the current period. */
	charged_amount: string;
}

/** Charges every reservation past its time in full and stops it holding quota, on every quota. */
export async function sweepExpired(db: Queryable): Promise<SweptQuota[]> {
	const { rows } = await db.query<SweptQuota>(SWEEP_SQL);
	return rows.sort((a, b) =>
		`${a.subject_type}/${a.subject_id}/${a.models}`.localeCompare(
			`${b.subject_type}/${b.subject_id}/${b.models}`,
		),
	);
}

/**
 * What a request asks of its layers: an amount for token layers and one for USD layers (null:
 * not known, so such a layer refuses), and the model, which picks the model quotas that apply.
 * `oneUnit`: a single amount of unspecified unit (Quota Check's generic operations), refused
 * when the layers are in both units.
 */
export interface QuotaRequest {
	model?: string | null;
	tokens: string | null;
	usd: string | null;
	oneUnit?: boolean;
}

/** A single amount in whatever unit the subject's quotas are in. */
export function inQuotaUnit(amount: string, model?: string | null): QuotaRequest {
	return { model: model || null, tokens: amount, usd: amount, oneUnit: true };
}

function requestValues(request: QuotaRequest) {
	return [request.model || null, request.tokens, request.usd];
}

function layered(rows: QuotaRow[]): LayeredRow | undefined {
	if (!rows.length) return undefined;
	const binding = bindingLayer(rows);
	return {
		...binding,
		allowed: rows[0].allowed,
		mixed_units: rows[0].mixed_units,
		amount_fits_type: rows.every((row) => row.amount_fits_type !== false),
		reservation_id: rows[0].reservation_id,
		found: rows.some((row) => row.found === true),
		counts: rows.some((row) => row.counts === true),
		reserved_amount: rows.find((row) => row.found)?.reserved_amount ?? null,
		layers: rows,
	};
}

/**
 * Holds the request's amounts on every layer of the subject if they fit all of them, or on none.
 * The common case (one layer, period current, nothing expired, the amount fits) is one short
 * UPDATE; on layers, one statement without the roll-over and expiry work; anything else (a
 * refusal among them), the full statement, which a subject last refused or without a quota goes
 * to at once. Undefined when no layer has a quota.
 */
export async function reserveQuota(
	db: Queryable,
	subject: QuotaSubject,
	request: QuotaRequest,
	reservationId: string,
	expiresInSeconds: number,
): Promise<LayeredRow | undefined> {
	const values = [
		subject.type,
		subject.id,
		...requestValues(request),
		reservationId,
		expiresInSeconds,
		request.oneUnit === true,
	];
	const key = `${subject.type}\u0000${subject.id}`;
	const single = [
		subject.type,
		subject.id,
		request.tokens,
		request.usd,
		reservationId,
		expiresInSeconds,
	];
	const hint = hints.get(key);
	const attempts: Array<[string, string, unknown[]]> =
		hint === 'full'
			? []
			: [
					['reserve_current', RESERVE_WHEN_CURRENT_SQL, single],
					['reserve_layers_current', RESERVE_LAYERS_WHEN_CURRENT_SQL, values],
				];
	if (hint === 'layered') attempts.reverse();
	for (const [name, text, parameters] of attempts) {
		const { rows } = await db.query<QuotaRow>(prepared(name, text, parameters));
		if (rows.length) return remember(key, layered(rows));
	}
	const { rows } = await db.query<QuotaRow>(prepared('reserve', RESERVE_SQL, values));
	return remember(key, layered(rows));
}

/**
 * Which statement Reserve tries first for a subject, from what it last saw of it: `layered` (the
 * layered common case first), `full` (refused, or no quota at all: the common cases would not
 * apply, so straight to the full statement); none, the one-budget common case first. A hint for
 * speed only, per process: each statement checks its own conditions, so a stale hint costs a
 * round trip, never a wrong answer.
 */
const hints = new Map<string, 'layered' | 'full'>();

function remember(key: string, row: LayeredRow | undefined): LayeredRow | undefined {
	const single =
		row?.layers.length === 1 &&
		row.layers[0].depth === 0 &&
		!row.layers[0].models &&
		!isRateLimit(row.layers[0]);
	const hint = !row || !row.allowed ? 'full' : single ? undefined : 'layered';
	if (hint === undefined) hints.delete(key);
	else {
		if (hints.size >= 10_000) hints.clear();
		hints.set(key, hint);
	}
	return row;
}

/**
 * Settles a reservation on every layer it holds with what the request used: `tokens` on token
 * layers, `usd` on USD layers; null charges that layer what it held. Undefined when the subject
 * has no layer and the reservation is not its own.
 */
export async function settleQuota(
	db: Queryable,
	subject: QuotaSubject,
	reservationId: string,
	actual: { tokens: string | null; usd: string | null },
): Promise<LayeredRow | undefined> {
	const { rows } = await db.query<QuotaRow>(
		prepared('settle', SETTLE_SQL, [
			subject.type,
			subject.id,
			reservationId,
			actual.tokens,
			actual.usd,
		]),
	);
	return layered(rows);
}

/** What Reserve would decide now, on every layer, read-only. */
export async function checkQuota(
	db: Queryable,
	subject: QuotaSubject,
	request: QuotaRequest,
): Promise<LayeredRow | undefined> {
	const { rows } = await db.query<QuotaRow>(
		prepared('check', CHECK_SQL, [
			subject.type,
			subject.id,
			...requestValues(request),
			request.oneUnit === true,
		]),
	);
	return layered(rows);
}

export async function setQuota(
	db: Queryable,
	subject: QuotaSubject,
	quota: {
		type: QuotaUnit;
		limit: string;
		period: QuotaPeriod;
		warningPercent: string | null;
		models?: string;
		kind?: QuotaKind;
	},
): Promise<QuotaRow> {
	const { rows } = await db.query<QuotaRow>(SET_SQL, [
		subject.type,
		subject.id,
		quota.type,
		quota.limit,
		quota.period,
		quota.warningPercent,
		quota.models ?? '',
		quota.kind ?? 'budget',
	]);
	return rows[0];
}

/** Rate and concurrency limits: how many of what, per minute or at once. */
export type RateLimitKind = Exclude<QuotaKind, 'budget'>;

/**
 * Sets a rate or concurrency limit on the subject (for the models `models` matches); a limit of 0
 * removes it. Undefined when removed.
 */
export async function setRateLimit(
	db: Queryable,
	subject: QuotaSubject,
	limit: { kind: RateLimitKind; limit: string; models?: string },
): Promise<QuotaRow | undefined> {
	if (compareDecimals(limit.limit, '0') === 0) {
		await db.query(
			`DELETE FROM llm_quotas t USING (${QUOTA_SUBJECT('$1', '$2')}) s
			  WHERE t.subject_type = s.type AND t.subject_id = s.id AND t.models = $3 AND t.kind = $4`,
			[subject.type, subject.id, limit.models ?? '', limit.kind],
		);
		return undefined;
	}
	return await setQuota(db, subject, {
		kind: limit.kind,
		type: limit.kind === 'tokens_per_minute' ? 'tokens' : 'requests',
		limit: limit.limit,
		period: 'none',
		warningPercent: null,
		models: limit.models,
	});
}

export async function resetQuota(
	db: Queryable,
	subject: QuotaSubject,
	models = '',
): Promise<QuotaRow | undefined> {
	const { rows } = await db.query<QuotaRow>(RESET_SQL, [subject.type, subject.id, models]);
	return rows[0];
}

export interface ParentChange {
	subject_type: string;
	subject_id: string;
	/** Why the parent was not set: it is the subject or below it, or the ancestry is too deep. */
	reason: 'cycle' | 'depth' | null;
	changed: boolean;
}

/** Puts the subject inside `parent` (null: no parent). Nothing changes when it is refused. */
export async function setParent(
	db: Queryable,
	subject: QuotaSubject,
	parent: QuotaSubject | null,
): Promise<ParentChange> {
	const { rows } = await db.query<ParentChange>(SET_PARENT_SQL, [
		subject.type,
		subject.id,
		parent?.type ?? null,
		parent?.id ?? null,
	]);
	return rows[0];
}

export interface LoggedUsage {
	total_tokens: number | null;
	cost_usd: string | null;
	usage_complete: boolean;
}

export interface UsageSettlement {
	/** False when the subject has no quota or the reservation was already settled or unknown. */
	settled: boolean;
	/** What was charged, in the quota's unit. */
	charged: string | null;
	reserved_amount: string | null;
	/** True when the usage was missing or incomplete (or unpriced on a USD quota): the whole reservation was charged. */
	charged_reservation: boolean;
	/** True when the provider reported more than was reserved: charged all the same. */
	over_reservation: boolean;
	row?: LayeredRow;
}

/**
 * Settles a reservation with a request's logged usage, in the caller's transaction: tokens on
 * token layers, cost on USD layers. Usage that is missing or incomplete, or a cost no price was
 * known for, charges those layers the whole reservation: a metered request is never free.
 */
export async function settleWithUsage(
	db: Queryable,
	subject: QuotaSubject,
	reservationId: string,
	usage: LoggedUsage,
): Promise<UsageSettlement> {
	const known = (value: string | number | null | undefined) =>
		usage.usage_complete && value !== null && value !== undefined ? toDecimal(value) : null;
	const actual = { tokens: known(usage.total_tokens), usd: known(usage.cost_usd) };
	const row = await settleQuota(db, subject, reservationId, actual);
	const settled = row?.layers.filter((layer) => layer.found) ?? [];
	if (!row || !settled.length) {
		return {
			settled: false,
			charged: null,
			reserved_amount: null,
			charged_reservation: false,
			over_reservation: false,
		};
	}
	// What the caller is told was charged: the nearest budget's, in its unit.
	const first = settled.find((layer) => !isRateLimit(layer)) ?? settled[0];
	return {
		settled: true,
		charged: first.charged ?? null,
		reserved_amount: first.reserved_amount ?? null,
		charged_reservation: settled.some(
			(layer) =>
				layer.kind !== 'requests_per_minute' &&
				layer.kind !== 'concurrent' &&
				(layer.quota_type === 'usd' ? actual.usd : actual.tokens) === null,
		),
		over_reservation: settled.some(
			(layer) =>
				layer.charged != null &&
				layer.reserved_amount != null &&
				compareDecimals(layer.charged, layer.reserved_amount) > 0,
		),
		row: { ...row, ...first, layers: row.layers },
	};
}
