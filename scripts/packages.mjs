// The repository's one source tree (nodes/, credentials/) ships as two npm packages, each a
// standard n8n node package under packages/<name>/ with its own package.json, tsconfig and
// eslint config:
//   n8n-nodes-keypilot         provider nodes and credentials, zero runtime dependencies (n8n Cloud)
//   n8n-nodes-keypilot-ledger  the Postgres-backed nodes, self-hosted, `pg` as a runtime dependency
// `stage` copies into each package the node folders and credentials its package.json lists, plus
// every shared source file they import (followed import by import), and refuses an import of a
// module the package does not declare. Then each package is linted and built by n8n's own CLI
// in its own folder, exactly as a standalone node package would be.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..');
export const PACKAGE_NAMES = ['n8n-nodes-keypilot', 'n8n-nodes-keypilot-ledger'];
export const packageDir = (name) => join(repoRoot, 'packages', name);
const STAGED = ['nodes', 'credentials', 'dist', 'workflows'];

/** Files shipped beside dist/ by a package, from the repository: [source, path in the package]. */
const EXTRA_FILES = {
	'n8n-nodes-keypilot-ledger': () => [
		...readdirSync(join(repoRoot, 'workflows'))
			.filter((file) => file.endsWith('.json') || file.endsWith('.sql'))
			.map((file) => [join('workflows', file), join('workflows', file)]),
	],
};

const IMPORT = /(?:^|\n)\s*(?:import|export)\b[^'"]*?from\s*['"]([^'"]+)['"]|\brequire\(\s*['"]([^'"]+)['"]\s*\)|\bimport\(\s*['"]([^'"]+)['"]\s*\)/g;

function importsOf(file) {
	const source = readFileSync(file, 'utf8');
	return [...source.matchAll(IMPORT)].map((match) => match[1] ?? match[2] ?? match[3]);
}

function resolveSource(fromFile, specifier) {
	const base = resolve(dirname(fromFile), specifier);
	for (const candidate of [`${base}.ts`, join(base, 'index.ts'), base]) {
		if (existsSync(candidate) && statSync(candidate).isFile()) return candidate;
	}
	throw new Error(`${relative(repoRoot, fromFile)} imports ${specifier}, which does not exist`);
}

function walk(dir) {
	return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
		entry.isDirectory() ? walk(join(dir, entry.name)) : [join(dir, entry.name)],
	);
}

const moduleName = (specifier) =>
	specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : specifier.split('/')[0];

/** Copies a package's sources into packages/<name>/ and returns what it imports from outside. */
export function stage(name) {
	const dir = packageDir(name);
	const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
	const declared = new Set([
		...Object.keys(manifest.dependencies ?? {}),
		...Object.keys(manifest.peerDependencies ?? {}),
	]);
	for (const folder of STAGED) rmSync(join(dir, folder), { recursive: true, force: true });

	const sourceOf = (distPath) => distPath.replace(/^dist\//, '').replace(/\.js$/, '.ts');
	const roots = [];
	for (const node of manifest.n8n.nodes) {
		const folder = dirname(sourceOf(node));
		cpSync(join(repoRoot, folder), join(dir, folder), { recursive: true });
		roots.push(...walk(join(repoRoot, folder)).filter((file) => file.endsWith('.ts')));
	}
	for (const credential of manifest.n8n.credentials) {
		const file = sourceOf(credential);
		mkdirSync(dirname(join(dir, file)), { recursive: true });
		cpSync(join(repoRoot, file), join(dir, file));
		roots.push(join(repoRoot, file));
	}

	const seen = new Set(roots);
	const queue = [...roots];
	const external = new Set();
	while (queue.length) {
		const file = queue.pop();
		for (const specifier of importsOf(file)) {
			if (!specifier.startsWith('.')) {
				const module = moduleName(specifier);
				const builtin = specifier.startsWith('node:') || builtinModules.includes(module);
				if (!builtin && !declared.has(module)) {
					throw new Error(
						`${relative(repoRoot, file)} imports "${specifier}", which ${name} does not declare as a dependency`,
					);
				}
				external.add(builtin && !specifier.startsWith('node:') ? `node:${specifier}` : specifier);
				continue;
			}
			const target = resolveSource(file, specifier);
			if (seen.has(target)) continue;
			seen.add(target);
			queue.push(target);
			const inPackage = join(dir, relative(repoRoot, target));
			mkdirSync(dirname(inPackage), { recursive: true });
			cpSync(target, inPackage);
		}
	}
	for (const [source, target] of EXTRA_FILES[name]?.() ?? []) {
		mkdirSync(dirname(join(dir, target)), { recursive: true });
		cpSync(join(repoRoot, source), join(dir, target));
	}
	// The package's tools (tsc, eslint and its plugins) are the repository's.
	if (!existsSync(join(dir, 'node_modules'))) {
		symlinkSync(join(repoRoot, 'node_modules'), join(dir, 'node_modules'), 'dir');
	}
	return [...external].sort();
}

function n8nNode(name, command, env) {
	const started = Date.now();
	// NODE_ENV=test (set by jest, e.g. for the demo test) makes eslint-plugin-n8n-nodes-base treat
	// every file as a node file; the lint must judge the package as n8n does.
	const { NODE_ENV: _testRunner, ...clean } = env;
	const result = spawnSync(join(repoRoot, 'node_modules', '.bin', 'n8n-node'), [command], {
		cwd: packageDir(name),
		env: { ...clean, PATH: `${join(repoRoot, 'node_modules', '.bin')}:${env.PATH}` },
		encoding: 'utf8',
	});
	// The CLI draws spinners; its output is shown only when it fails.
	if (result.status !== 0) process.stdout.write(`${result.stdout}${result.stderr}`);
	console.log(`[packages] ${name}: ${command} ${((Date.now() - started) / 1000).toFixed(1)}s`);
	if (result.status !== 0) throw new Error(`n8n-node ${command} failed for ${name}`);
}

/** Stages, lints and builds both packages with n8n's CLI. */
export function buildPackages(env = process.env) {
	for (const name of PACKAGE_NAMES) {
		const external = stage(name);
		console.log(`[packages] ${name} imports from outside: ${external.join(', ') || 'nothing'}`);
		n8nNode(name, 'lint', env);
		n8nNode(name, 'build', env);
	}
}

/** `npm pack` of one built package into `destination`; returns the tarball's path. */
export function packPackage(name, destination) {
	const result = spawnSync('npm', ['pack', '--json', '--pack-destination', destination], {
		cwd: packageDir(name),
		encoding: 'utf8',
	});
	if (result.status !== 0) throw new Error(`npm pack failed for ${name}: ${result.stderr}`);
	const [info] = JSON.parse(result.stdout.slice(result.stdout.indexOf('[')));
	return join(destination, info.filename);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) buildPackages();
