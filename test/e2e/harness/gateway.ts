import { randomUUID } from 'node:crypto';

import { workflowCredentials } from './credentials';
import { readWorkflow, registerUpstream, startEnvironment, type Environment } from './environment';
import { waitForWebhook, type RunningN8n } from './n8n';
import { stage } from './timing';
import { UPSTREAM_KEY } from '../standins/chat';
import type { StandIn } from '../standins/server';

/**
 * The metered gateway in a real n8n, sending to `upstream` under the name `stand-in` (the owner's
 * step in llm_upstreams), published and answering on its webhook.
 */
export async function startGateway(
	upstream: StandIn,
): Promise<{ environment: Environment; n8n: RunningN8n }> {
	const gateway = readWorkflow('gateway-from-parts.json');
	const environment = await startEnvironment({
		credentials: (postgres) =>
			workflowCredentials({ postgres, database: 'keypilot', upstream: { apiKey: UPSTREAM_KEY } }),
		workflows: [gateway],
	});
	await registerUpstream(environment, 'stand-in', `${upstream.url}/v1`);
	await environment.n8n.publish(gateway.id);
	const n8n = await stage('n8n start', () =>
		environment.n8n.start({ log: !!process.env.KEYPILOT_E2E_LOG }),
	);
	await stage('webhook registered', () =>
		waitForWebhook(`${n8n.url}/webhook/parts/v1/chat/completions`),
	);
	return { environment, n8n };
}

/**
 * A copy of the shipped composed gateway with its own ID, webhook path (`path`, e.g.
 * `soak/v1/chat/completions`) and provider timeout, to run beside the original in one n8n.
 */
export function composedGatewayCopy(options: {
	id: string;
	name: string;
	path: string;
	timeoutSeconds: number;
}) {
	const copy = JSON.parse(JSON.stringify(readWorkflow('gateway-from-parts.json'))) as {
		id: string;
		name: string;
		nodes: Array<{ name: string; id: string; webhookId?: string; parameters: Record<string, any> }>;
	};
	copy.id = options.id;
	copy.name = options.name;
	for (const node of copy.nodes) {
		node.id = randomUUID();
		if (node.webhookId) node.webhookId = randomUUID();
		if (node.name === 'Gateway') node.parameters.path = options.path;
		if (node.name === 'Call Provider')
			node.parameters.options.timeout = options.timeoutSeconds * 1000;
		if (node.name === 'Reserve Quota') node.parameters.upstreamTimeout = options.timeoutSeconds;
	}
	return copy;
}
