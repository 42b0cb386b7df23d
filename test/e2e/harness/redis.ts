import { spawn, type ChildProcess } from 'node:child_process';
import { connect } from 'node:net';

import { freePort } from '../../helpers/net';

/** A throwaway Redis server (from the system's redis-server) on a free loopback port. */
export class TestRedis {
	port = 0;
	private process?: ChildProcess;

	async start(): Promise<void> {
		const binary = process.env.KEYPILOT_REDIS_SERVER;
		if (!binary)
			throw new Error(
				'KEYPILOT_REDIS_SERVER is not set: run the tests through "npm test", which installs redis-server',
			);
		this.port = await freePort();
		this.process = spawn(
			binary,
			['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
			{
				stdio: 'ignore',
			},
		);
		for (let attempt = 0; attempt < 100; attempt++) {
			if (await this.ping()) return;
			await new Promise((resolve) => setTimeout(resolve, 100));
		}
		throw new Error('redis-server did not answer PING');
	}

	private ping(): Promise<boolean> {
		return new Promise((resolve) => {
			const socket = connect(this.port, '127.0.0.1', () => socket.write('PING\r\n'));
			socket.on('data', (data) => {
				socket.destroy();
				resolve(data.toString().startsWith('+PONG'));
			});
			socket.on('error', () => resolve(false));
		});
	}

	async stop(): Promise<void> {
		if (!this.process || this.process.exitCode !== null) return;
		const exited = new Promise((resolve) => this.process!.once('exit', resolve));
		this.process.kill('SIGTERM');
		await exited;
	}
}
