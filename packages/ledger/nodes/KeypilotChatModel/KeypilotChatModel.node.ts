import type {
	IDataObject,
	IExecuteFunctions,
	INodeType,
	INodeTypeDescription,
	ISupplyDataFunctions,
	SupplyData,
} from 'n8n-workflow';
import { NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';

import { GovernedChatModel, type GovernedChatOptions } from '../../core/chat/model';
import type { ChatConfig, ChatTool } from '../../core/chat/types';
import { parseSubject } from '../../core/quota';
import { currentPool } from '../postgres/pool';
import { loadPrices } from '../pricing/prices';
import { properties } from './description';
import { endpointUrl, isAzureOpenAi } from '../../core/gateway/upstream';
import { ANTHROPIC_VERSIONS, anthropicVersionProblem } from '../../core/chat/anthropic';

export class KeypilotChatModel implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'KeyPilot Chat Model',
		name: 'keypilotChatModel',
		icon: { light: 'file:keypilotChatModel.svg', dark: 'file:keypilotChatModel.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["model"]}}',
		description:
			'Chat model for the AI Agent that meters, prices and enforces a quota on every call',
		defaults: { name: 'KeyPilot Chat Model' },
		codex: {
			categories: ['AI'],
			subcategories: { AI: ['Language Models'], 'Language Models': ['Chat Models (Recommended)'] },
		},
		inputs: [],
		outputs: [NodeConnectionTypes.AiLanguageModel],
		outputNames: ['Model'],
		credentials: [
			{ name: 'postgres', required: true },
			{ name: 'openAiApi', required: true, displayOptions: { show: { provider: ['openai'] } } },
			{
				name: 'anthropicApi',
				required: true,
				displayOptions: { show: { provider: ['anthropic'] } },
			},
		],
		properties,
	};

	async supplyData(this: ISupplyDataFunctions, itemIndex: number): Promise<SupplyData> {
		const api = this.getNodeParameter('provider', itemIndex) as 'openai' | 'anthropic';
		const model = String(this.getNodeParameter('model', itemIndex, '')).trim();
		if (!model) throw new NodeOperationError(this.getNode(), '"Model" is required');
		const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
		const subject = parseSubject(
			this.getNodeParameter('subjectType', itemIndex),
			this.getNodeParameter('subject', itemIndex, ''),
		);
		const credentials = await this.getCredentials(
			api === 'anthropic' ? 'anthropicApi' : 'openAiApi',
		);
		const baseUrl = String(
			options.baseUrl ||
				credentials.url ||
				(api === 'anthropic' ? 'https://api.anthropic.com' : 'https://api.openai.com/v1'),
		);
		let url: string;
		try {
			url = endpointUrl(baseUrl, api === 'anthropic' ? '/v1/messages' : '/chat/completions');
		} catch {
			throw new NodeOperationError(
				this.getNode(),
				`"Base URL" must be a URL such as https://api.openai.com/v1, got ${JSON.stringify(baseUrl)}`,
			);
		}
		// Its Base URL may name an Azure deployment and api-version.
		const azure = isAzureOpenAi(url);
		const anthropicVersion = String(
			this.getNodeParameter('anthropicVersion', itemIndex, ANTHROPIC_VERSIONS[0]),
		);
		const headers: Record<string, string> =
			api === 'anthropic'
				? { 'x-api-key': String(credentials.apiKey), 'anthropic-version': anthropicVersion }
				: azure
					? { 'api-key': String(credentials.apiKey) }
					: {
							authorization: `Bearer ${String(credentials.apiKey)}`,
							...(credentials.organizationId
								? { 'OpenAI-Organization': String(credentials.organizationId) }
								: {}),
						};
		if (credentials.header && credentials.headerName) {
			headers[String(credentials.headerName)] = String(credentials.headerValue ?? '');
		}

		const pool = await currentPool(await this.getCredentials('postgres'));
		// Prices as the Usage Logger reads them: the bundled catalog (no overrides on this node).
		const prices = await loadPrices.call(this as unknown as IExecuteFunctions);
		// A peer dependency n8n provides: loaded here so the ledger's other nodes never need it.
		const sdk = await import('@n8n/ai-node-sdk');
		const number = (name: string) =>
			typeof options[name] === 'number' ? (options[name] as number) : undefined;
		const defaults: ChatConfig = {
			maxTokens: number('maxTokens'),
			temperature: number('temperature'),
			topP: number('topP'),
			presencePenalty: number('presencePenalty'),
			frequencyPenalty: number('frequencyPenalty'),
		};
		const problem =
			api === 'anthropic' ? anthropicVersionProblem(anthropicVersion, defaults) : undefined;
		if (problem) throw new NodeOperationError(this.getNode(), problem);
		const timeoutSeconds = number('timeout') ?? 120;
		const governed: GovernedChatOptions = {
			api,
			model,
			baseUrl,
			defaults,
			send: async (body, timeoutMs) => {
				const response = (await this.helpers.httpRequest({
					method: 'POST',
					url,
					headers,
					body,
					json: true,
					timeout: timeoutMs,
					returnFullResponse: true,
					ignoreHttpStatusErrors: true,
				})) as { statusCode: number; body: unknown; headers?: Record<string, unknown> };
				return { status: response.statusCode, body: response.body, headers: response.headers };
			},
			connect: async () => await pool.connect(),
			subject,
			whenNoQuota: this.getNodeParameter('whenNoQuota', itemIndex, 'allow') as 'allow' | 'refuse',
			prices,
			defaultOutputTokens: 4096,
			timeoutSeconds,
			schema: (tool: ChatTool) => sdk.getParametersJsonSchema(tool),
			context: {
				workflowId: this.getWorkflow().id ?? null,
				executionId: this.getExecutionId() ?? null,
				keyName: (options.keyName as string | undefined) || null,
			},
			secrets: [String(credentials.apiKey ?? ''), String(credentials.headerValue ?? '')],
		};
		return sdk.supplyModel(this, new GovernedChatModel(governed));
	}
}
