import {
	addDecimals,
	compareDecimals,
	InvalidAmountError,
	multiplyDecimal,
	shiftDecimal,
	toDecimal,
} from '../../common/money';

describe('money', () => {
	it('writes provider amounts as canonical decimal strings', () => {
		expect(toDecimal(0.06)).toBe('0.06');
		expect(toDecimal('0.0600')).toBe('0.06');
		expect(toDecimal('1.2e-7')).toBe('0.00000012');
		expect(toDecimal('-0')).toBe('0');
		expect(toDecimal('007.50')).toBe('7.5');
		expect(toDecimal('12E3')).toBe('12000');
		expect(toDecimal('0.1234567890123456789')).toBe('0.1234567890123456789');
	});

	it('adds without float error, however many terms', () => {
		expect(addDecimals('0.1', '0.2')).toBe('0.3');
		const tenCents = Array.from({ length: 1000 }, () => '0.1');
		expect(addDecimals(...tenCents)).toBe('100');
		expect(addDecimals('100000000.01', '0.0000000001')).toBe('100000000.0100000001');
		expect(addDecimals('-5.5', '2.25')).toBe('-3.25');
	});

	it.each([
		['0.5', '0.005'],
		['123.45', '1.2345'],
		['100000000.01', '1000000.0001'],
		['0', '0'],
		['7', '0.07'],
	])('turns %s cents into %s dollars exactly', (cents, dollars) => {
		expect(shiftDecimal(cents, -2)).toBe(dollars);
	});

	it('multiplies prices by token counts exactly', () => {
		expect(multiplyDecimal('0.0000025', 1_000_000)).toBe('2.5');
		expect(multiplyDecimal('0.00000015', 3)).toBe('0.00000045');
	});

	it('compares decimals of different scales', () => {
		expect(compareDecimals('1.10', '1.1')).toBe(0);
		expect(compareDecimals('0.3', addDecimals('0.1', '0.1'))).toBe(1);
		expect(compareDecimals('-1', '0.5')).toBe(-1);
	});

	it.each(['', 'abc', '1.2.3', '1,5', 'NaN', '--1', '.'])(
		'rejects %p with an error that says what was expected',
		(bad) => {
			expect(() => toDecimal(bad)).toThrow(InvalidAmountError);
			expect(() => toDecimal(bad)).toThrow(/expected digits/);
		},
	);

	it('rejects non-finite numbers', () => {
		expect(() => toDecimal(Number.NaN)).toThrow(InvalidAmountError);
		expect(() => toDecimal(Infinity)).toThrow(InvalidAmountError);
	});
});
