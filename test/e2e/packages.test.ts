/**
 * The two published packages, judged as n8n judges them: n8n's own community-package scanner on
 * the provider package's packed tarball (and on its sources, as the scanner's source leg does),
 * and each tarball listed to prove it carries every file its nodes and workflows need.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { node24, packPackages, PACKAGE_NAMES, REPO_ROOT } from './harness/n8n';
import { run } from './harness/exec';

jest.setTimeout(5 * 60 * 1000);

/** n8n's scanner, run as a separate Node process (see scripts/scan.mjs for why). */
async function scan(dir: string, patterns?: string[] | 'source') {
	const env = { ...process.env };
	delete env.NODE_ENV;
	const args = [join(REPO_ROOT, 'scripts', 'scan.mjs'), dir];
	if (patterns) args.push(patterns === 'source' ? patterns : JSON.stringify(patterns));
	const { stdout } = await run(node24, args, { cwd: REPO_ROOT, env });
	return JSON.parse(stdout) as { passed: boolean; errors: number; details?: string };
}

interface Manifest {
	name: string;
	dependencies?: Record<string, string>;
	peerDependencies?: Record<string, string>;
	n8n: { strict: boolean; nodes: string[]; credentials: string[] };
}

let workDir: string;
const unpacked: Record<string, string> = {};
const listing: Record<string, string[]> = {};

function walk(dir: string, prefix = ''): string[] {
	return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
		entry.isDirectory()
			? walk(join(dir, entry.name), `${prefix}${entry.name}/`)
			: [`${prefix}${entry.name}`],
	);
}

beforeAll(async () => {
	workDir = mkdtempSync(join(tmpdir(), 'keypilot-packages-'));
	const tarballs = await packPackages(workDir);
	for (const [index, name] of PACKAGE_NAMES.entries()) {
		const dir = join(workDir, name);
		mkdirSync(dir);
		await run('tar', ['-xzf', tarballs[index], '-C', dir, '--strip-components=1']);
		unpacked[name] = dir;
		listing[name] = walk(dir).sort();
	}
});

afterAll(() => rmSync(workDir, { recursive: true, force: true }));

describe('n8n-nodes-keypilot (the provider package)', () => {
	it("passes n8n's community-package scanner with 0 errors, tarball and sources", async () => {
		const dir = unpacked['n8n-nodes-keypilot'];
		const legs: Array<[string, string, string[] | 'source' | undefined]> = [
			['packed tarball, analyzePackage defaults', dir, undefined],
			["packed tarball, the CLI's tarball leg", dir, ['**/*.js', 'package.json']],
			["sources, the CLI's source leg", join(REPO_ROOT, 'packages', 'provider'), 'source'],
		];
		for (const [label, legDir, patterns] of legs) {
			const result = await scan(legDir, patterns);
			console.log(`scanner on n8n-nodes-keypilot (${label}): ${result.errors} errors`);
			expect({ label, ...result }).toEqual({ label, passed: true, errors: 0, details: undefined });
		}
	});

	it('has no runtime dependencies and is strict', () => {
		const manifest = JSON.parse(
			readFileSync(join(unpacked['n8n-nodes-keypilot'], 'package.json'), 'utf8'),
		) as Manifest;
		expect(manifest.dependencies).toBeUndefined();
		expect(manifest.n8n.strict).toBe(true);
		expect(listing['n8n-nodes-keypilot'].filter((file) => /\.(d\.ts|map|ts)$/.test(file))).toEqual(
			[],
		);
	});
});

describe('each tarball carries what its nodes need', () => {
	for (const name of PACKAGE_NAMES) {
		it(`${name}: every node and credential, their icons and every module they require`, () => {
			const dir = unpacked[name];
			const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Manifest;
			const entries = [...manifest.n8n.nodes, ...manifest.n8n.credentials];
			expect(entries.length).toBeGreaterThan(0);
			const allowed = new Set([
				'n8n-workflow',
				...Object.keys(manifest.dependencies ?? {}),
				// Provided by n8n itself (the AI node SDK for the chat model).
				...Object.keys(manifest.peerDependencies ?? {}),
				'crypto',
				'node:crypto',
			]);
			if (name !== 'n8n-nodes-keypilot') allowed.add('node:fs/promises');
			for (const file of listing[name].filter((file) => file.endsWith('.js'))) {
				const source = readFileSync(join(dir, file), 'utf8');
				// Static imports compile to require("…"), dynamic ones to require('…').
				for (const [, , specifier] of source.matchAll(/require\((["'])([^"']+)\1\)/g)) {
					if (specifier.startsWith('.')) {
						const target = join(dir, file, '..', specifier);
						expect({
							file,
							specifier,
							found: [`${target}.js`, join(target, 'index.js'), target].some((path) =>
								existsSync(path),
							),
						}).toEqual({ file, specifier, found: true });
					} else {
						expect({ file, specifier, allowed: allowed.has(specifier) }).toEqual({
							file,
							specifier,
							allowed: true,
						});
					}
				}
				for (const [, icon] of source.matchAll(/file:([^'"]+\.svg)/g)) {
					expect({ file, icon, found: existsSync(join(dir, file, '..', icon)) }).toEqual({
						file,
						icon,
						found: true,
					});
				}
			}
			for (const entry of entries) expect(listing[name]).toContain(entry);
		});
	}

	it('n8n-nodes-keypilot-ledger ships its migrations and every ready-made workflow', () => {
		const shipped = listing['n8n-nodes-keypilot-ledger'];
		const workflows = readdirSync(join(REPO_ROOT, 'packages', 'ledger', 'workflows'));
		expect(workflows.length).toBeGreaterThan(1);
		for (const file of workflows) expect(shipped).toContain(`workflows/${file}`);
		expect(shipped).toContain('dist/core/migrations/0001_initial.js');
		expect(shipped).toContain('dist/core/migrations/0002_ledger_operations.js');
		for (const file of shipped.filter((path) => path.startsWith('workflows/'))) {
			expect(readFileSync(join(unpacked['n8n-nodes-keypilot-ledger'], file), 'utf8')).toBe(
				readFileSync(join(REPO_ROOT, 'packages', 'ledger', file), 'utf8'),
			);
		}
	});
});
