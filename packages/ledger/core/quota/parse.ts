/** Quota settings and amounts as typed by a user, checked and named in errors. */
import { compareDecimals, toDecimal } from '../../common/money';

export const QUOTA_TYPES = ['tokens', 'usd'] as const;
/** Budgets are in tokens or USD; request-rate and concurrency limits count requests. */
export type QuotaUnit = QuotaType | 'requests';
export type QuotaType = (typeof QUOTA_TYPES)[number];
export const QUOTA_PERIODS = ['none', 'daily', 'weekly', 'monthly'] as const;
export type QuotaPeriod = (typeof QUOTA_PERIODS)[number];

export interface QuotaSubject {
	/** key_id, key_hash, token_hash, project, account ... */
	type: string;
	id: string;
}

export class QuotaInputError extends Error {
	constructor(
		readonly field: string,
		message: string,
	) {
		super(message);
		this.name = 'QuotaInputError';
	}
}

/** The largest limit or amount accepted: far above any real budget, far below NUMERIC's range. */
export const MAX_QUOTA_AMOUNT = '1000000000000000';

/**
 * An amount for a quota of the given type: tokens are whole numbers, USD exact decimals.
 * Negative, NaN, empty and non-numeric input is refused with the field's name.
 */
export function parseQuotaAmount(type: QuotaType, value: unknown, field: string): string {
	const fail = (expected: string): never => {
		throw new QuotaInputError(
			field,
			`"${field}" must be ${expected}, got ${JSON.stringify(value ?? null)}`,
		);
	};
	if (typeof value !== 'string' && typeof value !== 'number') fail('a number');
	if (typeof value === 'string' && value.trim() === '') fail('a number');
	let amount: string;
	try {
		amount = toDecimal(value as string | number);
	} catch {
		return fail(type === 'tokens' ? 'a whole number of tokens' : 'a decimal amount in USD');
	}
	if (compareDecimals(amount, '0') < 0) fail('zero or more');
	if (compareDecimals(amount, MAX_QUOTA_AMOUNT) > 0) fail(`at most ${MAX_QUOTA_AMOUNT}`);
	if (type === 'tokens' && amount.includes('.')) fail('a whole number of tokens');
	if ((amount.split('.')[1] ?? '').length > 18) fail('a decimal with at most 18 decimal places');
	return amount;
}

export function parseQuotaType(value: unknown): QuotaType {
	if (!QUOTA_TYPES.includes(value as QuotaType)) {
		throw new QuotaInputError(
			'Quota Type',
			`"Quota Type" must be tokens or usd, got ${JSON.stringify(value ?? null)}`,
		);
	}
	return value as QuotaType;
}

export function parseQuotaPeriod(value: unknown): QuotaPeriod {
	if (!QUOTA_PERIODS.includes(value as QuotaPeriod)) {
		throw new QuotaInputError(
			'Period',
			`"Period" must be one of ${QUOTA_PERIODS.join(', ')}, got ${JSON.stringify(value ?? null)}`,
		);
	}
	return value as QuotaPeriod;
}

/** A warning threshold in percent of the limit: above 0, at most 100; empty means none. */
export function parseWarningPercent(value: unknown): string | null {
	if (value === undefined || value === null || value === '' || value === 0) return null;
	let percent: string;
	try {
		percent = toDecimal(value as string | number);
	} catch {
		percent = '';
	}
	if (!percent || compareDecimals(percent, '0') <= 0 || compareDecimals(percent, '100') > 0) {
		throw new QuotaInputError(
			'Warning Threshold',
			`"Warning Threshold" must be a percentage above 0 and at most 100, got ${JSON.stringify(value)}`,
		);
	}
	return percent;
}

/**
 * A quota's model pattern: '' for every model, or a model name where '*' stands for any
 * characters ('claude-opus-*'). '*' alone is every model.
 */
export function parseModelPattern(value: unknown): string {
	const pattern = typeof value === 'string' ? value.trim() : value;
	if (typeof pattern !== 'string' || pattern.length > 200 || /[^\x21-\x7e]/u.test(pattern)) {
		throw new QuotaInputError(
			'For Models',
			`"For Models" must be a model name, '*' standing for any characters, at most 200 printable characters without spaces, got ${JSON.stringify(value ?? null)}`,
		);
	}
	return /^\*+$/u.test(pattern) ? '' : pattern;
}

/** What a subject may sit inside: the layers above keys and tokens. */
export const PARENT_TYPES = ['team', 'organization', 'project', 'account'] as const;
export type ParentType = (typeof PARENT_TYPES)[number];

/** The parent types as the nodes offer them, sorted by name. */
export const PARENT_TYPE_OPTIONS = [
	{ name: 'Organization', value: 'organization' },
	{ name: 'Project', value: 'project' },
	{ name: 'Provider Account', value: 'account' },
	{ name: 'Team', value: 'team' },
] satisfies Array<{ name: string; value: ParentType }>;

/** A parent subject; an empty name is no parent (null). */
export function parseParent(type: unknown, id: unknown): QuotaSubject | null {
	if (id === '' || id === null || id === undefined) return null;
	if (typeof id === 'string' && id.trim() === '') return null;
	if (!PARENT_TYPES.includes(type as ParentType)) {
		throw new QuotaInputError(
			'Parent Type',
			`"Parent Type" must be one of ${PARENT_TYPES.join(', ')}, got ${JSON.stringify(type ?? null)}`,
		);
	}
	if (typeof id !== 'string' && typeof id !== 'number') {
		throw new QuotaInputError(
			'Parent',
			`"Parent" must be a team, organization, project or account name, got ${JSON.stringify(id)}`,
		);
	}
	return { type: type as ParentType, id: String(id).trim() };
}

export function parseSubject(type: unknown, id: unknown): QuotaSubject {
	const subjectType = typeof type === 'string' ? type.trim() : '';
	const subjectId = typeof id === 'string' ? id.trim() : typeof id === 'number' ? String(id) : '';
	if (!subjectType) throw new QuotaInputError('Subject Type', '"Subject Type" is required');
	if (!subjectId)
		throw new QuotaInputError('Key', '"Key" is required: the key (or subject) the quota is for');
	return { type: subjectType, id: subjectId };
}
