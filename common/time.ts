/** UTC calendar helpers shared by the report and sync operations. */

export class InvalidDateError extends Error {
	constructor(readonly value: unknown) {
		super(
			`"${String(value)}" is not a date (expected an ISO 8601 date such as 2026-01-31T00:00:00Z)`,
		);
		this.name = 'InvalidDateError';
	}
}

/** Parses an ISO 8601 string, a Date or epoch milliseconds to epoch milliseconds. */
export function toEpochMs(value: unknown): number {
	const ms =
		value instanceof Date
			? value.getTime()
			: typeof value === 'number'
				? value
				: typeof value === 'string' && value.trim() !== ''
					? Date.parse(value)
					: NaN;
	if (!Number.isFinite(ms)) throw new InvalidDateError(value);
	return ms;
}

export function toUnixSeconds(value: unknown): number {
	return Math.floor(toEpochMs(value) / 1000);
}

export function startOfUtcDay(ms: number): number {
	const d = new Date(ms);
	return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
}

export function startOfUtcMonth(ms: number): number {
	const d = new Date(ms);
	return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
}

/** "YYYY-MM-DD" of the UTC day containing the instant. */
export function utcDate(ms: number): string {
	return new Date(ms).toISOString().slice(0, 10);
}

export function isoFromUnixSeconds(seconds: number): string {
	return new Date(seconds * 1000).toISOString();
}
