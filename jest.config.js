/** @type {import('jest').Config} */
const tsJest = ['ts-jest', { tsconfig: 'test/tsconfig.json' }];
module.exports = {
	projects: [
		{
			displayName: 'unit',
			testEnvironment: 'node',
			modulePathIgnorePatterns: ['<rootDir>/packages/[^/]+/dist'],
			transform: { '^.+\\.ts$': tsJest },
			testMatch: ['<rootDir>/test/unit/**/*.test.ts', '<rootDir>/test/contract/**/*.test.ts'],
		},
		{
			displayName: 'integration',
			testEnvironment: 'node',
			modulePathIgnorePatterns: ['<rootDir>/packages/[^/]+/dist'],
			transform: { '^.+\\.ts$': tsJest },
			testMatch: ['<rootDir>/test/integration/**/*.test.ts'],
		},
		{
			displayName: 'e2e',
			testEnvironment: 'node',
			modulePathIgnorePatterns: ['<rootDir>/packages/[^/]+/dist'],
			transform: { '^.+\\.ts$': tsJest },
			testMatch: ['<rootDir>/test/e2e/**/*.test.ts'],
		},
	],
};
