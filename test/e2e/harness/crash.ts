import { readdirSync, readFileSync } from 'node:fs';

/**
 * A crash: SIGKILL to every process running `n8n execute --id=<workflowId>` (the CLI and what it
 * started), found through /proc. Returns how many were killed.
 */
export function killExecution(workflowId: string): number {
	let killed = 0;
	for (const pid of readdirSync('/proc').filter((entry) => /^\d+$/.test(entry))) {
		let command = '';
		try {
			command = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ');
		} catch {
			continue;
		}
		if (!command.includes(` execute --id=${workflowId}`)) continue;
		try {
			process.kill(Number(pid), 'SIGKILL');
			killed++;
		} catch {
			// Already gone.
		}
	}
	return killed;
}
