// One process of the quota concurrency tests: fires reservations at once through the package's
// built quota core, and prints what each got.
// argv: JSON { connection, startAt, expiresIn, subject, amounts: string[] } (each amount on its
// own connection), or { connection, startAt, expiresIn, connections, requests: [{ subject,
// amount, model }] } (layered requests over a pool of `connections`).
import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { Pool } = require('pg');
const { inQuotaUnit, reserveQuota } = require('../../packages/ledger/dist/core/quota/index.js');

const job = JSON.parse(process.argv[2]);
const requests =
	job.requests ?? job.amounts.map((amount) => ({ subject: job.subject, amount, model: null }));
const pool = new Pool({ ...job.connection, max: job.connections ?? requests.length });
const clients = job.requests ? [] : await Promise.all(requests.map(() => pool.connect()));
await new Promise((resolve) => setTimeout(resolve, Math.max(0, job.startAt - Date.now())));
const results = await Promise.all(
	requests.map(async ({ subject, amount, model }, i) => {
		const row = await reserveQuota(
			clients[i] ?? pool,
			subject,
			inQuotaUnit(amount, model),
			randomUUID(),
			job.expiresIn ?? 300,
		);
		return {
			subject,
			amount,
			allowed: row?.allowed === true,
			reservationId: row?.reservation_id ?? null,
			// The layer named in a refusal, as the statement saw it under its lock.
			refusedBy:
				row && !row.allowed
					? {
							type: row.subject_type,
							scope: row.subject_id + '|' + (row.models ?? ''),
							limit: row.limit_amount,
							used: row.used,
							reserved: row.reserved,
							fits: row.fits,
						}
					: null,
		};
	}),
);
for (const client of clients) client.release();
await pool.end();
process.stdout.write(JSON.stringify(results));
