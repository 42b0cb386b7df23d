// One process of the quota concurrency test: fires `count` reservations at once, each on its own
// connection, through the package's built quota core, and prints what each got.
// argv: JSON { connection, subject, amounts: string[], startAt, expiresIn }
import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { Pool } = require('pg');
const { inQuotaUnit, reserveQuota } = require('../../packages/ledger/dist/core/quota/index.js');

const job = JSON.parse(process.argv[2]);
const pool = new Pool({ ...job.connection, max: job.amounts.length });
const clients = await Promise.all(job.amounts.map(() => pool.connect()));
await new Promise((resolve) => setTimeout(resolve, Math.max(0, job.startAt - Date.now())));
const results = await Promise.all(
	job.amounts.map(async (amount, i) => {
		const id = randomUUID();
		const row = await reserveQuota(
			clients[i],
			job.subject,
			inQuotaUnit(amount),
			id,
			job.expiresIn ?? 300,
		);
		return { amount, allowed: row?.allowed === true, reservationId: row?.reservation_id ?? null };
	}),
);
for (const client of clients) client.release();
await pool.end();
process.stdout.write(JSON.stringify(results));
