import { anthropicVersionProblem } from '../../packages/ledger/core/chat/anthropic';
import { isUnreachable } from '../../packages/ledger/core/db';
import { totalCosts } from '../../packages/provider/core/costSummary';
import { hasJsonSourceText, parseJsonExact } from '../../common/exactJson';
import { redactSecrets } from '../../common/redact';
import { parseRetryAfter, retryDelayMs } from '../../packages/provider/core/retry';
import { startOfUtcMonth, toUnixSeconds, utcDate } from '../../common/time';
import { buildQueryString, joinUrl } from '../../packages/provider/transport/provider';

describe('parseJsonExact', () => {
	it('keeps integers as numbers and fractions as the exact text sent', () => {
		const parsed = parseJsonExact(
			'{"start_time": 1730419200, "value": 0.06, "n": [1, 2.50]}',
		) as Record<string, unknown>;
		expect(parsed.start_time).toBe(1730419200);
		expect(parsed.value).toBe('0.06');
		expect(parsed.n).toEqual([1, hasJsonSourceText ? '2.50' : '2.5']);
	});

	it('keeps more digits than a double holds where the runtime exposes the source text', () => {
		const parsed = parseJsonExact(
			'{"value": 0.1234567890123456789, "big": 123456789012345678901}',
		) as Record<string, unknown>;
		if (hasJsonSourceText) {
			expect(parsed.value).toBe('0.1234567890123456789');
			expect(parsed.big).toBe('123456789012345678901');
		} else {
			expect(parsed.value).toBe(String(0.1234567890123456789));
		}
	});
});

describe('retry timing', () => {
	it('reads Retry-After as seconds or as an HTTP date', () => {
		expect(parseRetryAfter('2')).toBe(2000);
		expect(parseRetryAfter('0.5')).toBe(500);
		const now = Date.parse('2026-01-01T00:00:00Z');
		expect(parseRetryAfter('Thu, 01 Jan 2026 00:00:07 GMT', now)).toBe(7000);
		expect(parseRetryAfter('soon')).toBeUndefined();
		expect(parseRetryAfter(undefined)).toBeUndefined();
	});

	it('waits what the server asks, capped, and backs off exponentially otherwise', () => {
		const policy = { maxRetries: 4, baseDelayMs: 1000, maxDelayMs: 10_000 };
		expect(retryDelayMs(policy, 0, 3000)).toBe(3000);
		expect(retryDelayMs(policy, 0, 60_000)).toBe(10_000);
		expect(retryDelayMs(policy, 0, undefined, () => 1)).toBe(1000);
		expect(retryDelayMs(policy, 2, undefined, () => 1)).toBe(4000);
		expect(retryDelayMs(policy, 2, undefined, () => 0)).toBe(2000);
		expect(retryDelayMs(policy, 10, undefined, () => 1)).toBe(10_000);
	});
});

describe('redactSecrets', () => {
	it('removes the secret and masked key echoes', () => {
		const key = 'sk-admin-AbCdEfGhIjKlMnOpQrStUv';
		expect(redactSecrets(`bad key ${key}!`, [key])).not.toContain('AbCdEfGhIjKlMnOp');
		const echoed = redactSecrets('Incorrect API key provided: sk-admin-Ab***************StUv.', [
			key,
		]);
		expect(echoed).not.toMatch(/StUv/);
	});
});

describe('time helpers', () => {
	it('works in UTC', () => {
		const ms = Date.parse('2026-03-15T23:30:00-05:00');
		expect(utcDate(ms)).toBe('2026-03-16');
		expect(new Date(startOfUtcMonth(ms)).toISOString()).toBe('2026-03-01T00:00:00.000Z');
		expect(toUnixSeconds('2024-11-01T00:00:00Z')).toBe(1730419200);
		expect(() => toUnixSeconds('not a date')).toThrow(/not a date/);
	});
});

describe('query strings', () => {
	it('writes arrays in the provider style and skips empty values', () => {
		expect(
			buildQueryString(
				{ group_by: ['project_id', 'line_item'], limit: 7, page: undefined, x: '' },
				'brackets',
			),
		).toBe('?group_by%5B%5D=project_id&group_by%5B%5D=line_item&limit=7');
		expect(buildQueryString({ ids: ['a b'] }, 'repeat')).toBe('?ids=a%20b');
		expect(joinUrl('https://api.openai.com/v1/', '/organization/costs')).toBe(
			'https://api.openai.com/v1/organization/costs',
		);
	});
});

describe('totalCosts', () => {
	it('sums per group and overall, keeping today apart, exactly', () => {
		const totals = totalCosts(
			[
				{ date: '2026-11-01', amount: '0.1', groupId: 'proj_a' },
				{ date: '2026-11-25', amount: '0.2', groupId: 'proj_a' },
				{ date: '2026-11-25', amount: '1.005', groupId: 'proj_b' },
				{ date: '2026-11-25', amount: '3', groupId: null },
			],
			'2026-11-25',
		);
		expect(totals.total).toBe('4.305');
		expect(totals.today).toBe('4.205');
		expect(totals.groups.get('proj_a')).toEqual({ period: '0.3', today: '0.2' });
		expect(totals.groups.get('proj_b')).toEqual({ period: '1.005', today: '1.005' });
	});
});

describe('Anthropic API versions', () => {
	it('lets 2026-10-21 through without sampling parameters and names the ones it refuses', () => {
		expect(anthropicVersionProblem('2026-10-21', {})).toBeUndefined();
		expect(anthropicVersionProblem('2023-06-01', { temperature: 0.2, topP: 0.9 })).toBeUndefined();
		expect(anthropicVersionProblem('2026-10-21', { temperature: 0.2 })).toBe(
			'Anthropic API version 2026-10-21 does not take Sampling Temperature (temperature): remove it from the options, or choose API version 2023-06-01',
		);
		expect(anthropicVersionProblem('2026-10-21', { temperature: 0, topP: 1 })).toMatch(
			/does not take Sampling Temperature \(temperature\) or Top P \(top_p\): remove them/,
		);
		expect(anthropicVersionProblem('2024-01-01', {})).toBe(
			'"Anthropic API Version" must be one of 2026-10-21, 2023-06-01, got "2024-01-01"',
		);
	});
});

describe('a ledger that cannot be reached', () => {
	const coded = (code: string, message = 'failed') => Object.assign(new Error(message), { code });

	it("is told from other database errors by socket codes, SQLSTATE classes 08 and 57P, and pg's lost connection", () => {
		for (const error of [
			coded('ECONNREFUSED'),
			coded('ECONNRESET'),
			coded('57P01', 'terminating connection due to administrator command'),
			coded('08006'),
			new Error('Connection terminated unexpectedly'),
			new Error('wrapped', { cause: coded('57P03') }),
		]) {
			expect(isUnreachable(error)).toBe(true);
		}
		for (const error of [
			coded('42601', 'syntax error'),
			coded('23505'),
			new Error('bug'),
			'text',
		]) {
			expect(isUnreachable(error)).toBe(false);
		}
	});
});
