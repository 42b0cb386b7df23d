import { configWithoutCloudSupport } from '@n8n/node-cli/eslint';

export default [
	...configWithoutCloudSupport,
	// Self-hosted by design (see README, "Which package"): `pg` is its runtime dependency, and its
	// Postgres-backed nodes use n8n's built-in Postgres credential so users reuse the connection
	// they already have instead of typing it in twice.
	{
		files: ['package.json'],
		rules: { '@n8n/community-nodes/no-runtime-dependencies': 'off' },
	},
	{
		files: [
			'nodes/KeypilotChatModel/KeypilotChatModel.node.ts',
			'nodes/KeypilotGateway/KeypilotGateway.node.ts',
			'nodes/KeypilotLedger/KeypilotLedger.node.ts',
			'nodes/QuotaCheck/QuotaCheck.node.ts',
			'nodes/UsageLogger/UsageLogger.node.ts',
		],
		rules: {
			'@n8n/community-nodes/no-credential-reuse': 'off',
			'@n8n/community-nodes/valid-credential-references': 'off',
			'n8n-nodes-base/node-class-description-credentials-name-unsuffixed': 'off',
		},
	},
];
