// Runs n8n's community-package scanner on one folder, outside jest: jest sets NODE_ENV=test,
// which makes eslint-plugin-n8n-nodes-base treat every file as a node file.
// Usage: node scan.mjs <dir> [patterns as JSON]; prints {passed, errors, details} as JSON.
import { ESLint } from 'eslint';
import glob from 'fast-glob';
import {
	analyzePackage,
	buildScanConfig,
	SOURCE_FILE_PATTERNS,
} from '@n8n/scan-community-package/scanner/scanner.mjs';

const [dir, patternsArgument] = process.argv.slice(2);
const patterns =
	patternsArgument === 'source'
		? SOURCE_FILE_PATTERNS
		: patternsArgument
			? JSON.parse(patternsArgument)
			: undefined;
const result = await analyzePackage(dir, patterns);
// analyzePackage says only whether it passed: count the errors the same way it lints.
const eslint = new ESLint({
	cwd: dir,
	allowInlineConfig: false,
	overrideConfigFile: true,
	overrideConfig: await buildScanConfig(),
});
const files = glob.sync(patterns ?? ['**/*.js', '**/*.ts', '**/*.json'], {
	cwd: dir,
	absolute: true,
	ignore: ['node_modules/**', '**/package-lock.json'],
});
const errors = (await eslint.lintFiles(files)).reduce((sum, file) => sum + file.errorCount, 0);
process.stdout.write(JSON.stringify({ passed: result.passed, errors, details: result.details }));
