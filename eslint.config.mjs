import { configWithoutCloudSupport } from '@n8n/node-cli/eslint';
import { globalIgnores } from 'eslint/config';

// Tests, benchmarks and scripts run in Node, not inside n8n: the community-node rules
// (no Node globals, no imports beyond n8n-workflow) apply to the shipped package only.
export default [globalIgnores(['test/**', 'bench/**', 'scripts/**', 'demo/**', 'jest.config.js']), ...configWithoutCloudSupport];
