// The one test command: lint (n8n-node lint, strict for the provider package) and build both
// packages, check what a release would publish, type-check, then every jest test (unit and real-n8n end-to-end) on
// Node.js 24, the runtime n8n itself requires.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { ensureChromium, ensureCurl, ensureN8n, ensureRedis, hydrateEmbeddedPostgres, n8nBin, node24, nodeBinDir } from './runtime.mjs';

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..');
const redisServer = ensureRedis();
const chromium = ensureChromium();
ensureCurl();
const env = {
	...process.env,
	PATH: `${nodeBinDir}:${process.env.PATH}`,
	KEYPILOT_NODE24: node24,
	KEYPILOT_N8N_BIN: n8nBin,
	KEYPILOT_REDIS_SERVER: redisServer,
	KEYPILOT_CHROMIUM: chromium,
};

function step(label, command, args) {
	const started = Date.now();
	const result = spawnSync(command, args, { cwd: repoRoot, env, stdio: 'inherit' });
	console.log(`[test] ${label}: ${((Date.now() - started) / 1000).toFixed(1)}s`);
	if (result.status !== 0) process.exit(result.status ?? 1);
}

ensureN8n();
hydrateEmbeddedPostgres(repoRoot);
step('lint and build both packages', node24, [join(repoRoot, 'scripts', 'packages.mjs')]);
step('release check', node24, [join(repoRoot, 'scripts', 'release-check.mjs'), '--no-build']);
step('typecheck tests', node24, [join(repoRoot, 'node_modules', '.bin', 'tsc'), '-p', 'test/tsconfig.json']);
step('typecheck demo', node24, [join(repoRoot, 'node_modules', '.bin', 'tsc'), '-p', 'demo/tsconfig.json', '--noEmit']);
// What the tests make in the temp folder (packs, n8n user folders, PostgreSQL data) they remove.
const ours = () => new Set(readdirSync(tmpdir()).filter((name) => name.startsWith('keypilot-')));
const before = ours();
const resultsFile = join(repoRoot, '.cache', 'jest-results.json');
mkdirSync(dirname(resultsFile), { recursive: true });
rmSync(resultsFile, { force: true });
const jest = spawnSync(
	node24,
	[
		'--experimental-vm-modules',
		'--no-warnings=ExperimentalWarning',
		join(repoRoot, 'node_modules', '.bin', 'jest'),
		'--runInBand',
		'--json',
		`--outputFile=${resultsFile}`,
		...process.argv.slice(2),
	],
	{ cwd: repoRoot, env, stdio: 'inherit' },
);
if (existsSync(resultsFile)) {
	const results = JSON.parse(readFileSync(resultsFile, 'utf8'));
	console.log(`jest: ${results.numPassedTests} passed, ${results.numFailedTests} failed, ${results.numPendingTests} skipped`);
}
const left = [...ours()].filter((name) => !before.has(name));
if (left.length) {
	console.log(`left behind in ${tmpdir()}: ${left.join(', ')}`);
	process.exit(jest.status || 1);
}
process.exit(jest.status ?? 1);
