import type {
	IHookFunctions,
	INodeType,
	INodeTypeDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { openAiError } from '../../core/gateway/wire';
import { serveChatCompletions } from './chatCompletions';

/**
 * The metered gateway as one trigger: it answers each request itself inside `webhook()` and
 * returns no workflow data, so an ordinary request starts no n8n execution (nothing per request
 * in n8n's database, and the caller's token never in execution data), and a streamed answer
 * reaches the client as the provider sends it.
 */
export class KeypilotGateway implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'KeyPilot Gateway',
		name: 'keypilotGateway',
		icon: { light: 'file:keypilotGateway.svg', dark: 'file:keypilotGateway.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{"POST /webhook/" + $parameter["basePath"] + "/chat/completions"}}',
		description:
			'An OpenAI-compatible endpoint for gateway tokens: every request metered on its quota, streamed as it arrives, logged with its exact cost',
		defaults: { name: 'KeyPilot Gateway' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [
			{ name: 'postgres', required: true },
			{ name: 'openAiApi', required: true },
		],
		webhooks: [
			{
				name: 'default',
				httpMethod: 'POST',
				responseMode: 'onReceived',
				path: '={{$parameter["basePath"]}}/chat/completions',
				isFullPath: true,
			},
		],
		properties: [
			{
				displayName:
					'Serves POST /webhook/{Base Path}/chat/completions once the workflow is published. Tokens come from KeyPilot Ledger → Gateway Token → Mint; each token names its upstream in llm_upstreams, called with the OpenAI credential above. Requests are answered here and start no execution.',
				name: 'notice',
				type: 'notice',
				default: '',
			},
			{
				displayName: 'Base Path',
				name: 'basePath',
				type: 'string',
				default: 'v1',
				required: true,
				description:
					'Clients use https://your-n8n/webhook/ followed by this path as their base URL; v1 is what OpenAI clients expect',
			},
			{
				displayName: 'Output Limit When Absent',
				name: 'defaultOutputTokens',
				type: 'number',
				typeOptions: { minValue: 1 },
				default: 4096,
				description:
					'Output tokens reserved for a request that sets no max_tokens (fewer when the quota cannot pay for them)',
			},
			{
				displayName: 'Upstream Timeout (Seconds)',
				name: 'upstreamTimeout',
				type: 'number',
				typeOptions: { minValue: 1 },
				default: 120,
				description:
					'How long the provider may take; an unsettled reservation is charged in full 60 seconds after this',
			},
		],
	};

	// Nothing to register at a third party: n8n itself routes the path to this node.
	webhookMethods = {
		default: {
			async checkExists(this: IHookFunctions): Promise<boolean> {
				return true;
			},
			async create(this: IHookFunctions): Promise<boolean> {
				return true;
			},
			async delete(this: IHookFunctions): Promise<boolean> {
				return true;
			},
		},
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		const res = this.getResponseObject();
		// Not awaited: n8n holds a sandbox for this webhook until webhook() returns, so it returns
		// once the request is read and the answer goes on by itself, its errors handled here.
		serveChatCompletions.call(this).catch((error: unknown) => {
			// Once the answer has started nothing more can be said; before, the client gets OpenAI's shape.
			if (!res.headersSent) {
				res
					.status(500)
					.json(
						openAiError(
							`The gateway failed: ${(error as Error).message}`,
							'server_error',
							'gateway_error',
						),
					);
			} else if (!res.writableEnded) res.end();
		});
		return { noWebhookResponse: true };
	}
}
