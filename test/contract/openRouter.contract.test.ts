/**
 * Every operation the OpenRouter node offers, with every parameter set its description allows,
 * sends requests that OpenRouter's official OpenAPI definition accepts.
 */
import { OpenRouterManagementApi } from '../../packages/provider/credentials/OpenRouterManagementApi.credentials';
import { OpenRouter } from '../../packages/provider/nodes/OpenRouter/OpenRouter.node';
import { OpenApiContract } from './harness/openapi';
import { contractSuite } from './harness/suite';
import type { Samples } from './harness/variants';

const BASE = 'https://openrouter.test/api/v1';

const samples: Samples = {
	date: '2026-11-20',
	expiresAt: '2026-12-31T00:00:00Z',
	workspaceId: '0df9e665-d932-4de0-b2de-2d2e7a4c2a6e',
	keyHash: 'f01d52606dc8f0a8303a7b5cc3fa07109c2e346cec7c0a16b40de462992ce943',
	guardrailId: '550e8400-e29b-41d4-a716-446655440000',
	keyHashes: 'f01d52606dc8f0a8303a7b5cc3fa07109c2e346cec7c0a16b40de462992ce943',
	memberUserIds: 'user_2dHFtVWx2hZ5gKpJ',
	workspace: 'production',
	allowedModels: 'openai/gpt-4o-mini',
	ignoredModels: 'openai/gpt-4o',
	allowedProviders: 'openai',
	ignoredProviders: 'azure',
	description: 'Team budget',
};

let contract: OpenApiContract;

beforeAll(async () => {
	contract = await OpenApiContract.load('openrouter-openapi.yaml');
});

contractSuite({
	title: 'OpenRouter',
	node: new OpenRouter(),
	credentialType: new OpenRouterManagementApi(),
	credentials: { apiKey: 'sk-or-v1-contract', baseUrl: BASE },
	baseUrl: BASE,
	judge: () => contract,
	samples,
});
