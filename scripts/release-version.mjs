// Versions of both packages move together, and so do their changelog entries.
//   node scripts/release-version.mjs 0.3.0          both package.json files get 0.3.0; each
//                                                   CHANGELOG.md's "## Unreleased" becomes "## 0.3.0 (date)"
//   node scripts/release-version.mjs --expect v0.3.0 fails unless both packages are at 0.3.0 (the publish workflow)
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { manifestOf, packageDir, PACKAGE_NAMES } from './packages.mjs';

const [first, second] = process.argv.slice(2);
const SEMVER = /^\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?$/;

if (first === '--expect') {
	const wanted = String(second ?? '').replace(/^v/, '');
	const wrong = PACKAGE_NAMES.filter((name) => manifestOf(name).version !== wanted);
	if (!SEMVER.test(wanted) || wrong.length) {
		console.error(`tag "${second}" does not name the version of ${wrong.map((name) => `${name} (${manifestOf(name).version})`).join(', ') || 'a release'}`);
		process.exit(1);
	}
	console.log(`tag ${second}: ${PACKAGE_NAMES.map((name) => `${name}@${wanted}`).join(', ')}`);
} else if (SEMVER.test(first ?? '')) {
	const date = new Date().toISOString().slice(0, 10);
	for (const name of PACKAGE_NAMES) {
		const manifestPath = join(packageDir(name), 'package.json');
		const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
		manifest.version = first;
		writeFileSync(manifestPath, `${JSON.stringify(manifest, null, 2)}\n`);
		const changelogPath = join(packageDir(name), 'CHANGELOG.md');
		const changelog = readFileSync(changelogPath, 'utf8');
		if (!/^## Unreleased$/m.test(changelog)) {
			console.error(`${name}: CHANGELOG.md has no "## Unreleased" section to release`);
			process.exit(1);
		}
		writeFileSync(changelogPath, changelog.replace(/^## Unreleased$/m, `## Unreleased\n\n## ${first} (${date})`));
	}
	console.log(`both packages at ${first}; commit, then: git tag v${first} && git push origin v${first}`);
} else {
	console.error('usage: node scripts/release-version.mjs <version> | --expect <tag>');
	process.exit(2);
}
