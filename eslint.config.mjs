import { configWithoutCloudSupport } from '@n8n/node-cli/eslint';
import { globalIgnores } from 'eslint/config';

// Tests, benchmarks and scripts run in Node, not inside n8n: the community-node rules
// (no Node globals, no imports beyond n8n-workflow) apply to the shipped package only.
export default [
	globalIgnores(['test/**', 'bench/**', 'scripts/**', 'demo/**', 'jest.config.js']),
	...configWithoutCloudSupport,
	// This package is unverified and self-hosted (see README, "Install"): it ships `pg` as a
	// runtime dependency, and its Postgres-backed nodes use n8n's built-in Postgres credential so
	// users reuse the connection they already have instead of typing it in twice.
	{
		files: ['package.json'],
		rules: { '@n8n/community-nodes/no-runtime-dependencies': 'off' },
	},
	{
		files: ['nodes/QuotaCheck/QuotaCheck.node.ts', 'nodes/UsageLogger/UsageLogger.node.ts'],
		rules: {
			'@n8n/community-nodes/no-credential-reuse': 'off',
			'@n8n/community-nodes/valid-credential-references': 'off',
			'n8n-nodes-base/node-class-description-credentials-name-unsuffixed': 'off',
		},
	},
];
