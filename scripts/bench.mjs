// `npm run bench [-- name...]`: builds both packages and the benchmarks, then runs each benchmark
// (all of them by default) on Node.js 24. Each prints its figures and ratios against a baseline
// measured in the same run.
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { ensureN8n, ensureNode24, ensureRedis, hydrateEmbeddedPostgres, n8nBin, node24, nodeBinDir } from './runtime.mjs';

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..');
const env = {
	...process.env,
	PATH: `${nodeBinDir}:${process.env.PATH}`,
	// The gateway benchmark runs a real n8n through the end-to-end harness.
	KEYPILOT_NODE24: node24,
	KEYPILOT_N8N_BIN: n8nBin,
};
const benches = {
	signer: join(repoRoot, 'bench', 'volcengine-signer.mjs'),
	quota: join(repoRoot, '.cache', 'bench', 'bench', 'quota-reserve.js'),
	usage: join(repoRoot, '.cache', 'bench', 'bench', 'usage-log.js'),
	stats: join(repoRoot, '.cache', 'bench', 'bench', 'stats.js'),
	gateway: join(repoRoot, '.cache', 'bench', 'bench', 'gateway.js'),
	chat: join(repoRoot, '.cache', 'bench', 'bench', 'chat-model.js'),
	soak: join(repoRoot, '.cache', 'bench', 'bench', 'soak.js'),
};

function must(args) {
	const result = spawnSync(node24, args, { cwd: repoRoot, env, stdio: 'inherit' });
	if (result.status !== 0) process.exit(result.status ?? 1);
}

const chosen = process.argv.slice(2).length ? process.argv.slice(2) : Object.keys(benches);
for (const name of chosen) if (!benches[name]) throw new Error(`unknown benchmark ${name}; known: ${Object.keys(benches).join(', ')}`);
ensureNode24();
if (chosen.some((name) => ['gateway', 'soak'].includes(name))) ensureN8n();
if (chosen.includes('soak')) env.KEYPILOT_REDIS_SERVER = ensureRedis();
hydrateEmbeddedPostgres(repoRoot);
must([join(repoRoot, 'scripts', 'packages.mjs')]);
must([join(repoRoot, 'node_modules', '.bin', 'tsc'), '-p', 'bench/tsconfig.json']);
// Every benchmark runs to the end; one that misses its target (or fails) is named at the end.
const missed = [];
for (const name of chosen) {
	console.log(`\n== ${name} ==`);
	const result = spawnSync(node24, [benches[name]], { cwd: repoRoot, env, stdio: 'inherit' });
	if (result.status !== 0) missed.push(name);
}
console.log(missed.length ? `\nmissed a target or failed: ${missed.join(', ')}` : '\nevery target met');
process.exit(missed.length ? 1 : 0);
