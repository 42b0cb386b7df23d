// Two published packages, each a standard n8n node package in its own folder:
//   packages/provider  n8n-nodes-keypilot         provider nodes and credentials, zero runtime dependencies (n8n Cloud)
//   packages/ledger    n8n-nodes-keypilot-ledger  the Postgres-backed nodes, self-hosted, `pg` as a runtime dependency
// and common/, compiled into both and published by neither (each package reaches it through its
// own `common` link). The compiler holds the borders: each package compiles with its own folder
// as rootDir, so an import of the other package is an error, and common/ type-checks alone, so
// it can import nothing of either package. Each package is then linted and built by n8n's own
// CLI in its own folder; the build writes only to the package's ignored dist/.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..');
/** npm name → folder, in publishing order (the ledger package is released after the provider package). */
export const PACKAGES = {
	'n8n-nodes-keypilot': 'provider',
	'n8n-nodes-keypilot-ledger': 'ledger',
};
export const PACKAGE_NAMES = Object.keys(PACKAGES);
export const packageDir = (name) => join(repoRoot, 'packages', PACKAGES[name]);
const bin = (tool) => join(repoRoot, 'node_modules', '.bin', tool);

function timed(label, command, args, cwd, env) {
	const started = Date.now();
	// NODE_ENV=test (set by jest, e.g. for the demo test) makes eslint-plugin-n8n-nodes-base treat
	// every file as a node file; the lint must judge the package as n8n does.
	const { NODE_ENV: _testRunner, ...clean } = env;
	const result = spawnSync(command, args, {
		cwd,
		env: { ...clean, PATH: `${join(repoRoot, 'node_modules', '.bin')}:${env.PATH}` },
		encoding: 'utf8',
	});
	// n8n's CLI draws spinners; output is shown only when a step fails.
	if (result.status !== 0) process.stdout.write(`${result.stdout}${result.stderr}`);
	console.log(`[packages] ${label} ${((Date.now() - started) / 1000).toFixed(1)}s`);
	if (result.status !== 0) throw new Error(`${label} failed`);
}

/** Checks the common floor alone, then lints and builds both packages with n8n's CLI. */
export function buildPackages(env = process.env) {
	timed('common: tsc (alone)', bin('tsc'), ['-p', join(repoRoot, 'common')], repoRoot, env);
	for (const name of PACKAGE_NAMES) {
		timed(`${name}: lint`, bin('n8n-node'), ['lint'], packageDir(name), env);
		// eslint does not walk into the linked common/: the package's own rules judge it by name.
		timed(`${name}: lint common/`, bin('eslint'), ['common/'], packageDir(name), env);
		timed(`${name}: build`, bin('n8n-node'), ['build'], packageDir(name), env);
	}
}

/** `npm pack` of one built package into `destination`; returns the tarball's path and file list. */
export function packPackage(name, destination) {
	const result = spawnSync('npm', ['pack', '--json', '--pack-destination', destination], {
		cwd: packageDir(name),
		encoding: 'utf8',
	});
	if (result.status !== 0) throw new Error(`npm pack failed for ${name}: ${result.stderr}`);
	const [info] = JSON.parse(result.stdout.slice(result.stdout.indexOf('[')));
	return { tarball: join(destination, info.filename), files: info.files.map((file) => file.path) };
}

export const manifestOf = (name) => JSON.parse(readFileSync(join(packageDir(name), 'package.json'), 'utf8'));

if (process.argv[1] === fileURLToPath(import.meta.url)) buildPackages();
