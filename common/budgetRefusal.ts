/**
 * A provider refusing a request because a spend limit or budget is reached, told apart from a rate
 * limit: OpenAI's spend-limit 429s and OpenRouter's budget 402s and 403s. Most cannot succeed on
 * a retry and must say what to change; OpenRouter's in-flight budget 402 is transient (refused
 * before any provider saw the request) and is retried after its Retry-After. Pure: no n8n import.
 */

export interface BudgetRefusal {
	/** Worth retrying after the provider's Retry-After: the request was not processed. */
	retryable: boolean;
	/** What happened and what to change, for the user. */
	message: string;
}

type Json = Record<string, unknown>;

const object = (value: unknown): Json | undefined =>
	value && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : undefined;

const text = (value: unknown): string | undefined =>
	typeof value === 'string' && value ? value : undefined;

const OPENAI_SPEND_LIMITS: Record<string, string> = {
	organization_spend_limit_exceeded:
		"the organization's spend limit is reached: raise it in OpenAI's organization settings (Limits) or wait for the next period",
	project_spend_limit_exceeded:
		"the project's spend limit is reached: raise it in the project's settings (Limits) or wait for the next period",
	organization_usage_limit_exceeded:
		"the organization's usage limit is reached: raise it in OpenAI's organization settings (Limits)",
	credit_balance_exhausted:
		"the organization's prepaid credit is spent: add credit in OpenAI's billing settings",
};

const OPENROUTER_LAYERS: Record<string, string> = {
	openrouter_key_limit: "the key's own credit limit",
	openrouter_guardrail_budget: 'a guardrail budget',
	openrouter_workspace_budget: "the workspace's budget",
};

/** Whether a provider's error answer is a spend limit or budget refusal, and what it means. */
export function budgetRefusal(status: number, body: unknown): BudgetRefusal | undefined {
	const error = object(object(body)?.error);
	if (!error) return undefined;
	const code = text(error.code);
	const providerText = text(error.message);
	const said = providerText ? ` (the provider said: ${providerText})` : '';

	if (status === 429 && code && OPENAI_SPEND_LIMITS[code]) {
		return {
			retryable: false,
			message: `OpenAI refused the request: ${OPENAI_SPEND_LIMITS[code]}. Retrying will not help (${code}).`,
		};
	}
	if (status === 429 && text(error.type) === 'insufficient_quota') {
		return {
			retryable: false,
			message: `OpenAI refused the request: the account's quota or credit is spent; check its plan and billing. Retrying will not help (insufficient_quota)${said}.`,
		};
	}

	// OpenRouter's errors carry the HTTP status as a number in `code`.
	if (typeof error.code !== 'number') return undefined;
	const metadata = object(error.metadata) ?? {};
	const flags = JSON.stringify(metadata) + (providerText ?? '');
	const source = text(metadata.limit_source);
	if (status === 402 && /weight_exceeds_budget/.test(flags)) {
		return {
			retryable: false,
			message: `OpenRouter refused the request: this one request alone would exceed the in-flight budget of the account's balance; lower its max_tokens or add credits (weight_exceeds_budget)${said}.`,
		};
	}
	if (
		status === 402 &&
		(source === 'openrouter_in_flight_budget' || /in_flight_budget_exhausted/.test(flags))
	) {
		return {
			retryable: true,
			message: `OpenRouter refused the request for now: requests still running fill the in-flight budget of the account's balance (in_flight_budget_exhausted)${said}.`,
		};
	}
	if (status === 402) {
		return {
			retryable: false,
			message: `OpenRouter refused the request: the account has too few credits; add credits${said}.`,
		};
	}
	if (status === 403 && source && OPENROUTER_LAYERS[source]) {
		const figures = [
			metadata.limit_usd !== undefined ? `limit ${String(metadata.limit_usd)} USD` : undefined,
			metadata.spend_usd !== undefined ? `spent ${String(metadata.spend_usd)} USD` : undefined,
			text(metadata.resets_at) ? `resets ${String(metadata.resets_at)}` : 'no reset',
		].filter((part): part is string => part !== undefined);
		return {
			retryable: false,
			message: `OpenRouter refused the request: ${OPENROUTER_LAYERS[source]} is spent (${figures.join(', ')}); raise it or wait for its reset (${source})${said}.`,
		};
	}
	return undefined;
}
