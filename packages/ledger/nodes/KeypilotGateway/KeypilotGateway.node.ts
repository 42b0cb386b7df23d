import {
	NodeConnectionTypes,
	webhookDescriptionFields,
	type IHookFunctions,
	type INodeType,
	type ITriggerFunctions,
	type ITriggerResponse,
	type INodeTypeDescription,
	type IWebhookDescription,
	type IWebhookFunctions,
	type IWebhookResponseData,
} from 'n8n-workflow';

import { routeNamed, ROUTES, type GatewayRoute } from '../../core/gateway/routes';
import { serveCount } from './count';
import { Exchange, LEDGER_UNAVAILABLE } from './exchange';
import { isUnreachable } from '../../core/db';
import { EventListener } from './listener';
import { serveMetered } from './metered';
import { serveBudget } from './budget';
import { serveModels } from './models';

const SERVE = {
	metered: serveMetered,
	count: serveCount,
	models: serveModels,
	budget: serveBudget,
};

/**
 * A route's webhook. Its path also comes with a resolver (where this n8n has them), so n8n can
 * place a request without its expression engine: under N8N_EXPRESSION_ENGINE_LAZY_ACQUIRE an
 * ordinary request then never builds a sandbox.
 */
function webhookOf(route: GatewayRoute): IWebhookDescription {
	const template = `={{$parameter["basePath"]}}/${route.path}`;
	const path =
		typeof webhookDescriptionFields === 'function'
			? webhookDescriptionFields({
					path: {
						template,
						resolve: (parameters) => `${String(parameters.basePath)}/${route.path}`,
					},
				})
			: { path: template };
	return {
		name: route.name as IWebhookDescription['name'],
		httpMethod: route.method,
		responseMode: 'onReceived',
		isFullPath: true,
		...path,
	};
}

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
		// Version 2 behaves as 1. n8n evaluates an expression (so builds a sandbox) for every request
		// to a version-1 trigger, looking for the Webhook node v1's binary-data option.
		version: [1, 2],
		defaultVersion: 2,
		subtitle: '={{"/webhook/" + $parameter["basePath"] + "/…"}}',
		description:
			'OpenAI- and Anthropic-compatible endpoints for gateway tokens: every request metered on its quota, streamed as it arrives, logged with its exact cost',
		defaults: { name: 'KeyPilot Gateway' },
		inputs: [],
		// Events, in the order of EVENT_OUTPUTS.
		outputs: [
			NodeConnectionTypes.Main,
			NodeConnectionTypes.Main,
			NodeConnectionTypes.Main,
			NodeConnectionTypes.Main,
			NodeConnectionTypes.Main,
		],
		outputNames: ['Refused', 'Provider Error', 'Quota', 'Suspended', 'Every Request'],
		credentials: [
			{ name: 'postgres', required: true },
			{ name: 'openAiApi', required: false },
			{ name: 'anthropicApi', required: false },
		],
		webhooks: ROUTES.map(webhookOf),
		properties: [
			{
				displayName:
					'Serves /webhook/{Base Path}/ chat/completions, responses, responses/input_tokens, messages, messages/count_tokens, embeddings and models once the workflow is published. Tokens come from KeyPilot Ledger → Gateway Token → Mint; each names its upstream in llm_upstreams, called with the OpenAI or Anthropic credential above (whichever API the upstream speaks). Requests are answered here and start no execution; what a workflow should act on (refusals, provider errors, quota warnings and exhaustion, suspensions) comes out of the outputs, batched.',
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
					'Clients use https://your-n8n/webhook/ followed by this path as their base URL; v1 is what OpenAI and Anthropic clients expect',
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
				displayName: 'Events',
				name: 'events',
				type: 'multiOptions',
				options: [
					{
						name: 'Every Request',
						value: 'request',
						description:
							'Every served request with its tokens and cost. Costs an event row per request and executions of this workflow (batched, up to 500 items each); the usage log has every request without it.',
					},
					{
						name: 'Provider Error',
						value: 'provider_error',
						description: 'The provider answered with an error, or not at all',
					},
					{
						name: 'Quota',
						value: 'quota',
						description:
							"A quota crossed its warning threshold or ran out: once per quota and period, shared with the Quota Alerts workflow's record",
					},
					{
						name: 'Refused',
						value: 'refused',
						description:
							'A request answered with a refusal: no or unknown token, not allowed, suspended, quota exhausted, invalid',
					},
					{
						name: 'Suspended',
						value: 'suspended',
						description:
							'A provider reported more than a request could use: the token is suspended until lifted',
					},
				],
				default: ['refused', 'provider_error', 'quota', 'suspended'],
				description:
					'What comes out of the outputs of the same names. Events are written only when something is connected to this trigger.',
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

	/**
	 * Events: requests are served in whichever process took them, so what the workflow should hear
	 * goes through Postgres and comes out here, in the process that runs this workflow's triggers.
	 */
	async trigger(this: ITriggerFunctions): Promise<ITriggerResponse> {
		const workflowId = this.getWorkflow().id;
		const nodeId = this.getNode().id;
		// Nothing connected: requests write no events, so there is nothing to listen for.
		if (!workflowId || !nodeId || !this.getChildNodes(this.getNode().name).length) return {};
		const listener = new EventListener(
			await this.getCredentials('postgres'),
			{ workflowId, nodeId },
			(data) => this.emit(data),
			(message) => this.logger.warn(message),
		);
		await listener.start();
		return { closeFunction: async () => await listener.close() };
	}

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		const route = routeNamed(this.getWebhookName());
		if (!route) return { noWebhookResponse: false };
		const exchange = new Exchange(this, route);
		// Not awaited: n8n holds a sandbox for this webhook until webhook() returns, so it returns
		// once the request is read and the answer goes on by itself, its errors handled here.
		SERVE[route.kind](exchange).catch((error: unknown) => {
			// Once the answer has started nothing more can be said; before, the client gets its shape:
			// the ledger lost on the way (a restart, a dropped connection) as when it was down at once.
			if (isUnreachable(error)) {
				exchange.refuse(503, 'ledger_unavailable', LEDGER_UNAVAILABLE, {
					headers: { 'retry-after': '5' },
				});
			} else {
				exchange.refuse(500, 'gateway_error', `The gateway failed: ${(error as Error).message}`);
			}
		});
		return { noWebhookResponse: true };
	}
}
