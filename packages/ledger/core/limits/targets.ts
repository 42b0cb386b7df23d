/**
 * What a quota means at a provider that enforces a limit of its own, and what the provider says
 * its limit is. Pure: no n8n import, no database.
 *
 * OpenRouter keys: `limit` (USD, null for none) and `limit_reset` (daily, weekly from Monday,
 * monthly, or null), the same periods as a quota's, in UTC. OpenAI projects and Anthropic
 * workspaces: a spend limit in whole cents per month, so only a monthly USD quota mirrors there,
 * rounded down to the cent (the provider's limit is never above ours). Anthropic's workspace limits
 * are an early-access preview for Console organizations: where an organization does not have it,
 * Anthropic's own refusal is what the workflow tells.
 */
import { compareDecimals, floorDivideDecimal, shiftDecimal, toDecimal } from '../../common/money';
import { at, type Item, LedgerInputError } from '../fields';

export const LIMIT_TARGETS = ['openrouter_key', 'openai_project', 'anthropic_workspace'] as const;

/** How a target is named in messages. */
export const TARGET_NAMES: Record<LimitTarget, string> = {
	openrouter_key: 'OpenRouter key',
	openai_project: 'OpenAI project',
	anthropic_workspace: 'Anthropic workspace',
};
export type LimitTarget = (typeof LIMIT_TARGETS)[number];

/** A provider-side limit: USD (null: none) and its reset period (null: never). */
export interface ProviderLimit {
	limit: string | null;
	reset: 'daily' | 'weekly' | 'monthly' | null;
}

export interface QuotaTerms {
	quota_type: string;
	limit_amount: string;
	period: string;
}

/** The limit the provider should hold for a quota; an error says why a quota cannot be mirrored. */
export function desiredLimit(target: LimitTarget, quota: QuotaTerms): ProviderLimit {
	if (quota.quota_type !== 'usd') {
		throw new LedgerInputError(
			'Quota',
			'a USD quota (providers limit spend, not tokens)',
			`${quota.quota_type} quota`,
		);
	}
	const unlimited = compareDecimals(quota.limit_amount, '0') === 0;
	if (target === 'openrouter_key') {
		return {
			limit: unlimited ? null : toDecimal(quota.limit_amount),
			reset: quota.period === 'none' ? null : (quota.period as ProviderLimit['reset']),
		};
	}
	const provider = target === 'openai_project' ? 'OpenAI' : 'Anthropic';
	if (quota.period !== 'monthly') {
		throw new LedgerInputError(
			'Quota',
			`a monthly quota (${provider} spend limits are monthly)`,
			`${quota.period} quota`,
		);
	}
	const cents = floorDivideDecimal(quota.limit_amount, '0.01');
	if (unlimited || cents === '0') {
		throw new LedgerInputError(
			'Quota',
			`a limit of at least 0.01 USD (an ${provider} spend limit is 1 cent or more)`,
			quota.limit_amount,
		);
	}
	return { limit: shiftDecimal(cents, -2), reset: 'monthly' };
}

/** What OpenAI's spend limit body needs: whole cents. */
export const thresholdCents = (limit: ProviderLimit) =>
	limit.limit === null ? null : shiftDecimal(limit.limit, 2);

const NOT_FOUND = /returned 404/;

/** A provider's refusal, told whole: it says what to change (a missing preview, a wrong key). */
class ProviderAnswerError extends LedgerInputError {
	constructor(text: string) {
		super('Provider Limit', 'the provider’s answer, read without error', text);
		this.message = `"Provider Limit" must be the provider’s answer, read without error, got: ${text}`;
	}
}

/**
 * The limit a provider node's output says the provider holds. For an OpenAI project a 404 (read
 * by a node set to continue) is "no spend limit"; any other failed read is an error.
 */
export function observedLimit(target: LimitTarget, item: Item): ProviderLimit {
	const failure = at(item, 'error');
	if (failure !== undefined) {
		const text = typeof failure === 'string' ? failure : JSON.stringify(failure);
		if (target === 'openai_project' && NOT_FOUND.test(text)) return { limit: null, reset: null };
		throw new ProviderAnswerError(text);
	}
	if (target === 'openrouter_key') {
		const limit = at(item, 'limit');
		const reset = at(item, 'limit_reset') ?? null;
		if (
			(limit !== null && typeof limit !== 'number' && typeof limit !== 'string') ||
			at(item, 'hash') === undefined
		) {
			throw new LedgerInputError(
				'limit',
				'an OpenRouter key as Key → Get or Update returns it',
				limit,
			);
		}
		if (reset !== null && !['daily', 'weekly', 'monthly'].includes(reset as string)) {
			throw new LedgerInputError('limit_reset', 'daily, weekly, monthly or null', reset);
		}
		return {
			limit: limit === null ? null : toDecimal(limit as number),
			reset: reset as ProviderLimit['reset'],
		};
	}
	if (target === 'anthropic_workspace') {
		// Claude Admin, Spend Limit, Get for Scope (or Set): the limit in cents, null for none.
		const amount = at(item, 'amount');
		if ((amount !== null && typeof amount !== 'string') || at(item, 'period') === undefined) {
			throw new LedgerInputError(
				'amount',
				'an Anthropic spend limit as Spend Limit → Get for Scope or Set returns it',
				amount,
			);
		}
		return amount === null
			? { limit: null, reset: null }
			: {
					limit: shiftDecimal(toDecimal(amount), -2),
					reset: at(item, 'period') as ProviderLimit['reset'],
				};
	}
	const cents = at(item, 'threshold_amount');
	if (typeof cents !== 'number' && typeof cents !== 'string') {
		throw new LedgerInputError(
			'threshold_amount',
			'an OpenAI spend limit as Spend Limit → Get or Set returns it',
			cents,
		);
	}
	return {
		limit: shiftDecimal(cents, -2),
		reset: at(item, 'interval') === 'month' ? 'monthly' : null,
	};
}

export function sameLimit(a: ProviderLimit, b: ProviderLimit): boolean {
	const limits =
		a.limit === null || b.limit === null
			? a.limit === b.limit
			: compareDecimals(a.limit, b.limit) === 0;
	return limits && a.reset === b.reset;
}

export const describeLimit = (limit: ProviderLimit) =>
	limit.limit === null
		? 'no limit'
		: `${limit.limit} USD${limit.reset ? ` ${limit.reset}` : ' in total'}`;
