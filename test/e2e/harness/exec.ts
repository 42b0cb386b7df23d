import { spawn } from 'node:child_process';

export interface RunResult {
	code: number;
	stdout: string;
	stderr: string;
}

/** Runs a command to completion, capturing output; rejects on a non-zero exit unless allowed. */
export function run(
	command: string,
	args: string[],
	options: {
		cwd?: string;
		env?: NodeJS.ProcessEnv;
		allowFailure?: boolean;
		timeoutMs?: number;
	} = {},
): Promise<RunResult> {
	return new Promise((resolve, reject) => {
		const child = spawn(command, args, {
			cwd: options.cwd,
			env: options.env ?? process.env,
			stdio: ['ignore', 'pipe', 'pipe'],
		});
		let stdout = '';
		let stderr = '';
		child.stdout.on('data', (chunk) => (stdout += chunk));
		child.stderr.on('data', (chunk) => (stderr += chunk));
		const timer = options.timeoutMs
			? setTimeout(() => child.kill('SIGKILL'), options.timeoutMs)
			: undefined;
		child.on('error', reject);
		child.on('close', (code) => {
			if (timer) clearTimeout(timer);
			const result = { code: code ?? -1, stdout, stderr };
			if (code !== 0 && !options.allowFailure) {
				reject(
					new Error(
						`${command} ${args.join(' ')} exited with ${code}\n${stdout.slice(-4000)}\n${stderr.slice(-4000)}`,
					),
				);
			} else {
				resolve(result);
			}
		});
	});
}
