/** When and how long to wait before repeating a failed provider request. */
export { parseRetryAfter } from '../common/retryAfter';

export interface RetryPolicy {
	maxRetries: number;
	baseDelayMs: number;
	maxDelayMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
	maxRetries: 4,
	baseDelayMs: 1000,
	maxDelayMs: 60_000,
};

export function isRetryableStatus(status: number): boolean {
	return status === 408 || status === 429 || status >= 500;
}

/**
 * Delay before retry number `attempt` (0-based): the server's Retry-After when given,
 * otherwise exponential backoff with full jitter; never above maxDelayMs.
 */
export function retryDelayMs(
	policy: RetryPolicy,
	attempt: number,
	retryAfterMs: number | undefined,
	random: () => number = Math.random,
): number {
	if (retryAfterMs !== undefined) return Math.min(retryAfterMs, policy.maxDelayMs);
	const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt);
	return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}
