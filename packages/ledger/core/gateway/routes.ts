/**
 * The routes the gateway serves, each with the wire format its clients speak, the API its
 * upstream must speak and how a request on it is bounded. Pure: no n8n import.
 */
import type { UpstreamApi } from '../tokens';
import {
	boundEmbeddingsRequest,
	boundMessagesRequest,
	boundResponsesRequest,
} from '../usage/apiBounds';
import { boundChatRequest, type ChatRequestBound } from '../usage/requestBound';
import type { ApiFlavor } from '../usage/types';
import type { Wire } from './wire';

export type RouteKind = 'metered' | 'count' | 'models' | 'budget';

export interface GatewayRoute {
	/** The webhook's name in the trigger's description. */
	name: string;
	method: 'POST' | 'GET';
	/** After the base path (`v1`). */
	path: string;
	/** What clients call it, for messages and token permissions (`/v1/chat/completions`). */
	route: string;
	kind: RouteKind;
	wire: Wire;
	/** The API the token's upstream must speak; for `models`, the caller's wire decides. */
	upstreamApi: UpstreamApi;
	/** How usage in the answer is read (metered routes). */
	flavor?: ApiFlavor;
	bound?: (body: unknown) => ChatRequestBound;
	/** The upstream's counter for the prompt (metered routes that have one, and count routes). */
	counter?: string;
}

export const ROUTES: GatewayRoute[] = [
	{
		name: 'default',
		method: 'POST',
		path: 'chat/completions',
		route: '/v1/chat/completions',
		kind: 'metered',
		wire: 'openai',
		upstreamApi: 'openai',
		flavor: 'openai_chat',
		bound: (body) => boundChatRequest(body, { collect: true }),
	},
	{
		name: 'responses',
		method: 'POST',
		path: 'responses',
		route: '/v1/responses',
		kind: 'metered',
		wire: 'openai',
		upstreamApi: 'openai',
		flavor: 'openai_responses',
		bound: boundResponsesRequest,
		counter: 'responses/input_tokens',
	},
	{
		name: 'responsesInputTokens',
		method: 'POST',
		path: 'responses/input_tokens',
		route: '/v1/responses/input_tokens',
		kind: 'count',
		wire: 'openai',
		upstreamApi: 'openai',
		counter: 'responses/input_tokens',
	},
	{
		name: 'messages',
		method: 'POST',
		path: 'messages',
		route: '/v1/messages',
		kind: 'metered',
		wire: 'anthropic',
		upstreamApi: 'anthropic',
		flavor: 'anthropic_messages',
		bound: boundMessagesRequest,
		counter: 'messages/count_tokens',
	},
	{
		name: 'countTokens',
		method: 'POST',
		path: 'messages/count_tokens',
		route: '/v1/messages/count_tokens',
		kind: 'count',
		wire: 'anthropic',
		upstreamApi: 'anthropic',
		counter: 'messages/count_tokens',
	},
	{
		name: 'embeddings',
		method: 'POST',
		path: 'embeddings',
		route: '/v1/embeddings',
		kind: 'metered',
		wire: 'openai',
		upstreamApi: 'openai',
		flavor: 'openai_embeddings',
		bound: boundEmbeddingsRequest,
	},
	{
		name: 'models',
		method: 'GET',
		path: 'models',
		route: '/v1/models',
		kind: 'models',
		wire: 'openai',
		upstreamApi: 'openai',
	},
	{
		name: 'budget',
		method: 'GET',
		path: 'keypilot/budget',
		route: '/v1/keypilot/budget',
		kind: 'budget',
		wire: 'openai',
		upstreamApi: 'openai',
	},
];

export function routeNamed(name: string): GatewayRoute | undefined {
	return ROUTES.find((route) => route.name === name);
}

/** Fields a Responses input-token count accepts (OpenAI's TokenCountsBody). */
const RESPONSES_COUNT_FIELDS = [
	'model',
	'input',
	'previous_response_id',
	'tools',
	'text',
	'reasoning',
	'truncation',
	'instructions',
	'conversation',
	'tool_choice',
	'parallel_tool_calls',
];

/** Fields a Messages token count accepts: a Messages body without the output and sampling ones. */
const MESSAGES_COUNT_FIELDS = [
	'model',
	'messages',
	'system',
	'tools',
	'tool_choice',
	'thinking',
	'mcp_servers',
	'context_management',
	'output_config',
];

/** The body of the upstream's count for a metered request. */
export function countBody(route: GatewayRoute, body: Record<string, unknown>) {
	const fields = route.wire === 'anthropic' ? MESSAGES_COUNT_FIELDS : RESPONSES_COUNT_FIELDS;
	return Object.fromEntries(fields.filter((f) => body[f] !== undefined).map((f) => [f, body[f]]));
}

/** The prompt tokens in a counter's answer (`input_tokens` in both APIs). */
export function countedTokens(answer: unknown): number | undefined {
	const count = (answer as { input_tokens?: unknown } | null)?.input_tokens;
	return typeof count === 'number' && Number.isSafeInteger(count) && count >= 0 ? count : undefined;
}

export interface ListedModel {
	id: string;
	created?: number;
	owned_by?: string;
	display_name?: string;
	created_at?: string;
}

/** A model list in the caller's shape: OpenAI's `{object:"list"}` or Anthropic's paged list. */
export function modelList(wire: Wire, models: ListedModel[]) {
	if (wire === 'anthropic') {
		const data = models.map((model) => ({
			type: 'model',
			id: model.id,
			display_name: model.display_name ?? model.id,
			created_at: model.created_at ?? new Date((model.created ?? 0) * 1000).toISOString(),
		}));
		return {
			data,
			has_more: false,
			first_id: data[0]?.id ?? null,
			last_id: data[data.length - 1]?.id ?? null,
		};
	}
	return {
		object: 'list',
		data: models.map((model) => ({
			id: model.id,
			object: 'model',
			created: model.created ?? Math.floor(Date.parse(model.created_at ?? '1970-01-01') / 1000),
			owned_by: model.owned_by ?? 'system',
		})),
	};
}

/** Models in either provider's list answer (`data[].id`, with what else each says). */
export function modelsIn(answer: unknown): ListedModel[] {
	const data = (answer as { data?: unknown } | null)?.data;
	if (!Array.isArray(data)) return [];
	return data.filter(
		(model): model is ListedModel => typeof (model as ListedModel | null)?.id === 'string',
	);
}
