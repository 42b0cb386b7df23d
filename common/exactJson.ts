/**
 * JSON.parse that keeps fractional and oversized numbers exactly as the provider wrote them.
 * Money such as `"amount": {"value": 0.1234567890123456789}` comes back as the string
 * "0.1234567890123456789" instead of a rounded double; integers that fit a double stay numbers.
 * Uses the reviver's source text (Node.js 21+); older runtimes fall back to the shortest
 * round-trip form of the double.
 */
export const hasJsonSourceText: boolean = (() => {
	let seen: unknown;
	JSON.parse('1.5', function (_key: string, value: unknown, context?: { source?: string }) {
		seen = context?.source;
		return value;
	} as (key: string, value: unknown) => unknown);
	return seen === '1.5';
})();

export function parseJsonExact(text: string): unknown {
	return JSON.parse(text, function (_key: string, value: unknown, context?: { source?: string }) {
		if (typeof value !== 'number' || Number.isSafeInteger(value)) return value;
		return context?.source ?? String(value);
	} as (key: string, value: unknown) => unknown);
}
