/**
 * Properties of the pure cores, over inputs fast-check makes up: money is exact to the last
 * micro-unit against BigInt arithmetic, and a provider's stream gives the same usage whatever
 * line endings and `data:` spacing the SSE specification allows.
 */
import fc from 'fast-check';

import {
	addDecimals,
	compareDecimals,
	floorDivideDecimal,
	multiplyDecimal,
	shiftDecimal,
	toDecimal,
} from '../../common/money';
import { extractUsage } from '../../packages/ledger/core/usage/extract';
import * as fixtures from '../fixtures/usage';

/** Micro-units (millionths of a dollar) written as a decimal string, the way BigInt sees them. */
function micro(units: bigint): string {
	const negative = units < 0n;
	const digits = (negative ? -units : units).toString().padStart(7, '0');
	const text = `${digits.slice(0, -6)}.${digits.slice(-6)}`.replace(/\.?0+$/, '');
	return `${negative ? '-' : ''}${text || '0'}`;
}

const amount = fc.bigInt({ min: -(10n ** 24n), max: 10n ** 24n });

describe('money: exact to the micro-unit, checked against BigInt', () => {
	it('adds any amounts without losing or making a micro-unit', () => {
		fc.assert(
			fc.property(fc.array(amount, { minLength: 1, maxLength: 20 }), (values) => {
				const sum = values.reduce((total, value) => total + value, 0n);
				expect(addDecimals(...values.map(micro))).toBe(toDecimal(micro(sum)));
			}),
			{ numRuns: 2000 },
		);
	});

	it('multiplies a price by a count, shifts cents to dollars and compares exactly', () => {
		fc.assert(
			fc.property(
				amount,
				fc.bigInt({ min: 0n, max: 10n ** 12n }),
				amount,
				(price, count, other) => {
					expect(multiplyDecimal(micro(price), count.toString())).toBe(
						toDecimal(micro(price * count)),
					);
					// Micro-units shifted by six places are the whole number of micro-units.
					expect(shiftDecimal(micro(price), 6)).toBe(price.toString());
					expect(compareDecimals(micro(price), micro(other))).toBe(
						price < other ? -1 : price > other ? 1 : 0,
					);
				},
			),
			{ numRuns: 2000 },
		);
	});

	it('divides by a positive amount rounding down, as a reservation clamps its output', () => {
		fc.assert(
			fc.property(
				fc.bigInt({ min: 0n, max: 10n ** 20n }),
				fc.bigInt({ min: 1n, max: 10n ** 12n }),
				(value, divisor) => {
					expect(floorDivideDecimal(micro(value), micro(divisor))).toBe(
						(value / divisor).toString(),
					);
				},
			),
			{ numRuns: 2000 },
		);
	});
});

/**
 * The same events with every line ended by \n, \r\n or \r, and each `data:` or `event:` with or
 * without its space (one ending per stream: a \r then an empty \n line would read as one CRLF).
 */
function respell(stream: string, ending: '\n' | '\r\n' | '\r', spaced: boolean[]): string {
	const lines = stream.split('\n');
	lines.pop();
	return lines
		.map((line, index) => {
			const field = /^(data|event): ?/.exec(line);
			const text = field
				? `${field[1]}:${spaced[index % spaced.length] ? ' ' : ''}${line.slice(field[0].length)}`
				: line;
			return `${text}${ending}`;
		})
		.join('');
}

describe('streams: the same usage however the SSE lines are spelled', () => {
	const streams = {
		'OpenAI Chat Completions': fixtures.openAiChatStream,
		'OpenAI Responses': fixtures.openAiResponsesStream,
		'Anthropic Messages': fixtures.anthropicStream,
	};
	it.each(Object.entries(streams))('%s', (_name, stream) => {
		const expected = extractUsage(stream);
		expect(expected.total_tokens).toBeGreaterThan(0);
		fc.assert(
			fc.property(
				fc.constantFrom<'\n' | '\r\n' | '\r'>('\n', '\r\n', '\r'),
				fc.array(fc.boolean(), { minLength: 1, maxLength: 12 }),
				(ending, spaced) => {
					expect(extractUsage(respell(stream, ending, spaced))).toEqual(expected);
				},
			),
			{ numRuns: 300 },
		);
	});
});
