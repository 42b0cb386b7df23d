/** Reading a provider's `Retry-After`. Pure: no n8n import. */

/**
 * Delay in milliseconds that a `Retry-After` header asks for: delta-seconds or an HTTP date.
 * Returns undefined when the header is absent or unreadable.
 */
export function parseRetryAfter(header: unknown, nowMs = Date.now()): number | undefined {
	const value = Array.isArray(header) ? header[0] : header;
	if (typeof value !== 'string' && typeof value !== 'number') return undefined;
	const text = String(value).trim();
	if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
	const date = Date.parse(text);
	return Number.isNaN(date) ? undefined : Math.max(0, date - nowMs);
}
