/**
 * Exact decimal arithmetic for money. Amounts travel as decimal strings ("0.06", "123.45");
 * arithmetic happens on BigInt units scaled by a power of ten, so nothing is ever rounded
 * through a binary float.
 */

interface Scaled {
	units: bigint;
	scale: number;
}

const DECIMAL = /^([+-]?)(\d+)?(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;

export class InvalidAmountError extends Error {
	constructor(readonly value: unknown) {
		super(`"${String(value)}" is not a decimal amount (expected digits such as "12.34")`);
		this.name = 'InvalidAmountError';
	}
}

function parse(value: string | number): Scaled {
	if (typeof value === 'number') {
		if (!Number.isFinite(value)) throw new InvalidAmountError(value);
		// The shortest string that reads back as the same double: "0.1", never "0.1000000000000000055".
		value = String(value);
	}
	if (typeof value !== 'string') throw new InvalidAmountError(value);
	const match = DECIMAL.exec(value.trim());
	if (!match || (match[2] === undefined && !match[3])) throw new InvalidAmountError(value);
	const [, sign, whole = '', fraction = '', exponentText] = match;
	const exponent = exponentText ? Number(exponentText) : 0;
	if (!Number.isSafeInteger(exponent) || Math.abs(exponent) > 1000)
		throw new InvalidAmountError(value);
	let units = BigInt((whole + fraction).replace(/^0+(?=\d)/, '') || '0');
	let scale = fraction.length - exponent;
	if (scale < 0) {
		units *= 10n ** BigInt(-scale);
		scale = 0;
	}
	return { units: sign === '-' ? -units : units, scale };
}

function rescale(a: Scaled, scale: number): bigint {
	return a.units * 10n ** BigInt(scale - a.scale);
}

function format({ units, scale }: Scaled): string {
	const negative = units < 0n;
	let digits = (negative ? -units : units).toString();
	if (scale > 0) {
		digits = digits.padStart(scale + 1, '0');
		const whole = digits.slice(0, -scale);
		const fraction = digits.slice(-scale).replace(/0+$/, '');
		digits = fraction ? `${whole}.${fraction}` : whole;
	}
	return negative && digits !== '0' ? `-${digits}` : digits;
}

/** Canonical decimal string for a provider amount given as string or JSON number. */
export function toDecimal(value: string | number): string {
	return format(parse(value));
}

export function addDecimals(...values: Array<string | number>): string {
	const parsed = values.map(parse);
	const scale = Math.max(0, ...parsed.map((p) => p.scale));
	const units = parsed.reduce((sum, p) => sum + rescale(p, scale), 0n);
	return format({ units, scale });
}

/** Multiplies by 10^places exactly: shiftDecimal("123.45", -2) turns cents into dollars. */
export function shiftDecimal(value: string | number, places: number): string {
	const p = parse(value);
	const scale = p.scale - places;
	return scale >= 0
		? format({ units: p.units, scale })
		: format({ units: p.units * 10n ** BigInt(-scale), scale: 0 });
}

export function compareDecimals(a: string | number, b: string | number): -1 | 0 | 1 {
	const pa = parse(a);
	const pb = parse(b);
	const scale = Math.max(pa.scale, pb.scale);
	const diff = rescale(pa, scale) - rescale(pb, scale);
	return diff < 0n ? -1 : diff > 0n ? 1 : 0;
}

/** Exact product of a decimal and an integer count, e.g. a per-token price times tokens. */
export function multiplyDecimal(value: string | number, factor: string | number): string {
	const a = parse(value);
	const b = parse(factor);
	return format({ units: a.units * b.units, scale: a.scale + b.scale });
}

/** The whole number of times `divisor` fits in `value`, rounded down: floor(value / divisor). */
export function floorDivideDecimal(value: string | number, divisor: string | number): string {
	const a = parse(value);
	const b = parse(divisor);
	if (b.units === 0n) throw new InvalidAmountError(divisor);
	const scale = Math.max(a.scale, b.scale);
	const numerator = rescale(a, scale);
	const denominator = rescale(b, scale);
	let quotient = numerator / denominator;
	// BigInt division truncates toward zero; floor needs one less for a negative remainder.
	if (numerator % denominator !== 0n && numerator < 0n !== denominator < 0n) quotient -= 1n;
	return quotient.toString();
}
