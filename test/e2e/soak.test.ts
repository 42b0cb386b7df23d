/**
 * The soak's short variant (`bench/soak.ts` runs it longer): mixed traffic in queue mode with the
 * ledger's PostgreSQL restarted and a worker killed in the middle. Nothing the stand-ins billed
 * goes unrecorded, no call is made twice, no budget ends over its limit, nothing stays reserved.
 */
import { soak } from '../../bench/soak';

jest.setTimeout(15 * 60 * 1000);

it('keeps every billed call recorded and every budget within its limit through a PostgreSQL restart and a killed worker', async () => {
	const figures = await soak({ seconds: 36, concurrency: 32, clientTimeout: 60 });
	process.stdout.write(`[soak] ${JSON.stringify(figures)}\n`);
	expect(figures.served).toBeGreaterThan(100);
	expect(figures.billed).toBeGreaterThanOrEqual(figures.served);
	// Every other ending is one the faults explain: a spent budget, the ledger down, the killed
	// worker (n8n's 500, or no answer before the client gave up). Never a gateway failure.
	const explained =
		/^(429 (API_KEY_QUOTA_EXHAUSTED|rate_limit_error)|503 (ledger_unavailable|api_error|QUOTA_STORE_UNAVAILABLE|QUOTA_CHECK_FAILED)|500 Error in workflow|no answer \(TimeoutError\))$/;
	expect(Object.keys(figures.endings).filter((ending) => !explained.test(ending))).toEqual([]);
	expect(figures.lost).toBe(0);
	expect(figures.repeated).toBe(0);
	expect(Number(figures.maxUsedOverLimit.ratio)).toBeLessThanOrEqual(1);
	expect(figures.reservedLeft).toBe('0');
});
