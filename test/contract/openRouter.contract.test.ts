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
	workspaceId: 'ws_1',
	keyHash: 'f01d52606dc8f0a8303a7b5cc3fa07109c2e346cec7c0a16b40de462992ce943',
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
