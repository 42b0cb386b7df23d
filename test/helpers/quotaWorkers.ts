import { spawn } from 'node:child_process';
import { join } from 'node:path';

/**
 * Runs one process of quotaWorker.mjs (reservations fired at once through the package's built
 * quota core, from a process of their own) and resolves with what each reservation got.
 */
export function runQuotaWorker<Result>(job: object): Promise<Result[]> {
	return new Promise((resolve, reject) => {
		const child = spawn(
			process.execPath,
			[join(__dirname, 'quotaWorker.mjs'), JSON.stringify(job)],
			{
				stdio: ['ignore', 'pipe', 'pipe'],
			},
		);
		let out = '';
		let err = '';
		child.stdout.on('data', (chunk) => (out += chunk));
		child.stderr.on('data', (chunk) => (err += chunk));
		child.on('close', (code) =>
			code === 0
				? resolve(JSON.parse(out) as Result[])
				: reject(new Error(`worker exited ${code}: ${err}`)),
		);
	});
}
