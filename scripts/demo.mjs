// `npm run demo`: installs Node.js 24 and n8n into the cache on first use, builds both packages,
// compiles the demo and runs it on Node.js 24.
import { spawn, spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { ensureN8n, hydrateEmbeddedPostgres, n8nBin, node24, nodeBinDir } from './runtime.mjs';

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..');
const env = { ...process.env, PATH: `${nodeBinDir}:${process.env.PATH}`, KEYPILOT_NODE24: node24, KEYPILOT_N8N_BIN: n8nBin };

function must(command, args) {
	const result = spawnSync(command, args, { cwd: repoRoot, env, stdio: 'inherit' });
	if (result.status !== 0) process.exit(result.status ?? 1);
}

/** A reader that went away (Ctrl-C ends `| tee` too) must not stop the demo's own shutdown. */
function forward(from, to) {
	to.on('error', () => undefined);
	from.on('data', (chunk) => {
		if (!to.destroyed && to.writable) to.write(chunk);
	});
}

ensureN8n();
hydrateEmbeddedPostgres(repoRoot);
must(node24, [join(repoRoot, 'scripts', 'packages.mjs')]);
must(node24, [join(repoRoot, 'node_modules', '.bin', 'tsc'), '-p', 'demo/tsconfig.json']);
// In a process group of its own, the demo, n8n and PostgreSQL do not get the terminal's Ctrl-C:
// the demo gets it from here, once, and stops n8n first, PostgreSQL after it.
const demo = spawn(node24, [join(repoRoot, '.cache', 'demo', 'demo', 'demo.js')], {
	cwd: repoRoot,
	env,
	detached: true,
	stdio: ['ignore', 'pipe', 'pipe'],
});
forward(demo.stdout, process.stdout);
forward(demo.stderr, process.stderr);
let signalled = false;
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
	process.on(signal, () => {
		if (signalled) return;
		signalled = true;
		demo.kill('SIGTERM');
	});
}
demo.on('exit', (code) => process.exit(code ?? 0));
