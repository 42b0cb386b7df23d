import type { IExecuteFunctions, IWebhookFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import type { Pool } from 'pg';

import {
	recordEvents,
	recordQuotaCrossing,
	type EventFacts,
	type EventKind,
	type EventTarget,
	type GatewayEvent,
} from '../../core/gateway/events';
import type { GatewayRoute } from '../../core/gateway/routes';
import { madeResponse } from '../../core/gateway/providerState';
import { endpointUrl, isAzureOpenAi } from '../../core/gateway/upstream';
import type { QuotaSubject, QuotaType } from '../../core/quota';
import { chatFlavorOf } from '../../core/usage/extract';
import { RequestBoundError } from '../../core/usage/requestBound';
import { PROVIDER_OF_FLAVOR } from '../../core/usage/types';
import { errorBody, tokenFrom, type Refusal } from '../../core/gateway/wire';
import { authenticate, type Authentication } from '../../core/tokens';
import { currentPool } from '../postgres/pool';
import { loadPrices, type Prices } from '../pricing/prices';

type Response = ReturnType<IWebhookFunctions['getResponseObject']>;
type Headers = Record<string, string | string[] | undefined>;

/** Headers of the provider's answer that reach the client as the provider sent them. */
const PASSED_HEADERS = ['retry-after', 'x-should-retry', 'x-request-id', 'request-id'];
const PASSED_PREFIXES = ['anthropic-ratelimit-', 'x-ratelimit-'];

/** Headers of the client's request that reach an Anthropic upstream unchanged. */
const ANTHROPIC_REQUEST_HEADERS = ['anthropic-version', 'anthropic-beta'];

export interface UpstreamAnswer {
	statusCode: number;
	headers: Record<string, string>;
	body: AsyncIterable<Buffer>;
}

/**
 * One request to the gateway and its answer: what was read from n8n before the trigger returned,
 * the caller's token checked, refusals written in the caller's wire format, and the upstream
 * called with the provider key from n8n's credential (the caller never sees it).
 */
/** The 503 of a ledger that cannot be reached before anything was served. */
export const LEDGER_UNAVAILABLE =
	'The gateway cannot reach its ledger, so nothing was served. Retry later.';

/** How often, and how far apart, a stored response not found yet is looked up again (1 s in all). */
const OWNER_LOOKS = 6;
const OWNER_LOOK_MS = 200;

export class Exchange {
	readonly res: Response;
	readonly started = performance.now();
	readonly headers: Headers;
	readonly body: unknown;
	readonly clientIp: string | null;
	readonly workflowId: string | null;
	readonly timeoutSeconds: number;
	readonly defaultOutput: number;
	readonly token: string | undefined;
	/** Where this trigger's events go; null outside a saved workflow. */
	readonly events: EventTarget | null;
	/** The events the workflow asked for: none when nothing is connected to the trigger. */
	readonly emits: ReadonlySet<EventKind>;
	/** The credentials set on the node, by type. */
	private readonly credentialTypes: string[];
	/** Set by `admit`. */
	auth!: Authentication;
	pool!: Pool;

	/** Everything from n8n's context is read here, synchronously, before the trigger returns. */
	constructor(
		private readonly context: IWebhookFunctions,
		readonly route: GatewayRoute,
	) {
		this.res = context.getResponseObject();
		const request = context.getRequestObject();
		this.headers = context.getHeaderData() as Headers;
		this.body = route.method === 'POST' ? (context.getBodyData() as unknown) : undefined;
		this.clientIp = request.ip ?? null;
		this.workflowId = context.getWorkflow().id ?? null;
		const nodeId = context.getNode().id;
		this.events = this.workflowId && nodeId ? { workflowId: this.workflowId, nodeId } : null;
		this.emits = new Set(
			context.getChildNodes(context.getNode().name).length
				? (context.getNodeParameter('events', []) as EventKind[])
				: [],
		);
		this.timeoutSeconds = context.getNodeParameter('upstreamTimeout', 120) as number;
		this.defaultOutput = context.getNodeParameter('defaultOutputTokens', 4096) as number;
		this.token = tokenFrom(this.headers);
		this.credentialTypes = Object.keys(context.getNode().credentials ?? {});
	}

	/** A query parameter of the request, when it was given once. */
	query(name: string): string | undefined {
		const value = (this.context.getRequestObject().query as Record<string, unknown>)[name];
		return typeof value === 'string' ? value : undefined;
	}

	header(name: string): string | undefined {
		const value = this.headers[name];
		return typeof value === 'string' ? value : undefined;
	}

	/**
	 * Answers in the wire format the caller speaks, with any extra headers, and hands the refusal
	 * to the workflow (`event: false` when the call is told another way).
	 */
	refuse(
		status: number,
		refusal: Refusal,
		message: string,
		options: {
			param?: string | null;
			headers?: Record<string, string>;
			wire?: GatewayRoute['wire'];
			event?: false;
		} = {},
	): void {
		if (this.res.headersSent) {
			if (!this.res.writableEnded) this.res.end();
			return;
		}
		this.res
			.status(status)
			.set(options.headers ?? {})
			.json(errorBody(options.wire ?? this.route.wire, refusal, message, options.param ?? null));
		if (options.event === false || refusal === 'ledger_unavailable') return;
		if (!this.emits.has('refused')) return;
		void this.tell([
			{
				kind: 'refused',
				event: {
					event: 'refused',
					...this.facts(),
					status,
					code: refusal,
					message,
					param: options.param ?? null,
				},
			},
		]);
	}

	/** What every event of this request says: never the token, only its hash and name once known. */
	facts(): EventFacts {
		const known = this.auth?.authenticated === true;
		const model = (this.body as { model?: unknown } | undefined)?.model;
		return {
			at: new Date().toISOString(),
			route: this.route.route,
			model: typeof model === 'string' ? model : null,
			token_name: known ? this.auth.token_name : null,
			token_hash: known ? this.auth.token_hash : null,
			client_ip: this.clientIp,
		};
	}

	/** Events outside a logged call; the answer has gone out, so one that cannot be written is dropped. */
	private async tell(events: GatewayEvent[]): Promise<void> {
		if (!this.events) return;
		try {
			await recordEvents(await this.eventPool(), this.events, events);
		} catch {
			// Nothing to tell the caller: their answer is already on its way.
		}
	}

	/** A quota crossing (told once per subject, kind and period), not waited for. */
	tellQuota(crossing: {
		subject: QuotaSubject;
		models: string;
		kind: 'warning' | 'exhausted';
		used: string;
		type: QuotaType;
	}): void {
		const target = this.events;
		if (!target || !this.emits.has('quota')) return;
		void this.eventPool()
			.then(async (pool) => await recordQuotaCrossing(pool, target, crossing, this.facts()))
			.catch(() => undefined);
	}

	private async eventPool(): Promise<Pool> {
		return this.pool ?? (await currentPool(await this.context.getCredentials('postgres')));
	}

	/** A request the gateway cannot bound is the caller's 400; anything else is the node's error. */
	refuseInvalid(error: unknown): void {
		if (!(error instanceof RequestBoundError))
			throw new NodeOperationError(this.context.getNode(), error as Error);
		this.refuse(400, 'invalid_request', error.message, { param: error.field });
	}

	/**
	 * Whose usage this is, as the usage row names it: Anthropic for its wire, else the provider the
	 * upstream's host tells (OpenAI, OpenRouter, Volcengine Ark, ...). Call after `admit`.
	 */
	provider(): string {
		return this.route.wire === 'anthropic'
			? 'anthropic'
			: PROVIDER_OF_FLAVOR[chatFlavorOf(this.auth.upstream_url)];
	}

	/**
	 * False (and answered as OpenAI answers an unknown ID: 400 `previous_response_not_found`,
	 * "Previous response with id '…' not found.") when the request continues a stored response
	 * another token made: the provider would serve it, since every token of an upstream shares its
	 * key. A streamed answer's row is written just after its last event reaches the client, so a
	 * follow-up sent at once may arrive first: a miss is looked up again for a moment before it is
	 * refused. Call after `admit`.
	 */
	async ownsPreviousResponse(): Promise<boolean> {
		const id = (this.body as Record<string, unknown> | undefined)?.previous_response_id;
		if (typeof id !== 'string' || this.route.wire === 'anthropic') return true;
		for (let look = 0; look < OWNER_LOOKS; look++) {
			if (look) await new Promise((resolve) => setTimeout(resolve, OWNER_LOOK_MS));
			if (await madeResponse(this.pool, this.provider(), id, this.auth.token_hash)) return true;
		}
		this.refuse(
			400,
			'previous_response_not_found',
			`Previous response with id '${id.slice(0, 200)}' not found.`,
			{ param: 'previous_response_id' },
		);
		return false;
	}

	/** The ledger's pool and prices; a refusal (503) when the ledger cannot be reached. */
	async ledger(withPrices: boolean): Promise<Prices | undefined | false> {
		try {
			this.pool = await currentPool(await this.context.getCredentials('postgres'));
			return withPrices
				? await loadPrices.call(this.context as unknown as IExecuteFunctions)
				: undefined;
		} catch {
			this.refuse(503, 'ledger_unavailable', LEDGER_UNAVAILABLE, {
				headers: { 'retry-after': '5' },
			});
			return false;
		}
	}

	/**
	 * The caller's token checked for this route and model: false (and answered) when it is
	 * missing, unknown, suspended, not allowed here, or its upstream speaks another API.
	 */
	async admit(model: string | undefined, wire = this.route.wire): Promise<boolean> {
		if (!this.token) {
			this.refuse(
				401,
				'unauthenticated',
				'Send the gateway token as "Authorization: Bearer <token>" or "x-api-key: <token>"',
				{ wire },
			);
			return false;
		}
		// A token may always read its own budget, whatever routes it is limited to.
		const budget = this.route.kind === 'budget';
		const auth = await authenticate(this.pool, this.token, {
			scope: 'gateway',
			route: this.route.route,
			anyRoute: budget,
			model,
		});
		this.auth = auth;
		if (!auth.authenticated) {
			this.refuse(401, 'unauthenticated', 'Unknown or revoked token', { wire });
			return false;
		}
		if (auth.suspended) {
			this.refuse(
				403,
				'forbidden',
				`This token is suspended: ${auth.suspended}. An operator lifts it with KeyPilot Ledger: Gateway Token, Lift Suspension.`,
				{ wire },
			);
			return false;
		}
		if (!auth.permitted) {
			const what =
				model === undefined ? this.route.route : `${this.route.route} with model "${model}"`;
			this.refuse(403, 'forbidden', `This token may not use ${what}`, { wire });
			return false;
		}
		if (budget) return true;
		const credential = auth.upstream_api === 'anthropic' ? 'anthropicApi' : 'openAiApi';
		if (!this.credentialTypes.includes(credential)) {
			this.refuse(
				503,
				'gateway_error',
				`This gateway has no ${auth.upstream_api === 'anthropic' ? 'Anthropic' : 'OpenAI'} credential for the upstream "${auth.upstream}": set one on the KeyPilot Gateway node`,
				{ wire },
			);
			return false;
		}
		if (this.route.kind !== 'models' && auth.upstream_api !== this.route.upstreamApi) {
			this.refuse(
				404,
				'not_found',
				`This token's upstream "${auth.upstream}" speaks ${auth.upstream_api === 'anthropic' ? "Anthropic's" : "OpenAI's"} API, which has no ${this.route.route}`,
				{ wire },
			);
			return false;
		}
		return true;
	}

	/**
	 * Calls `path` at the token's upstream with the provider key of the matching n8n credential.
	 * Throws when no answer came (unreachable, timed out, aborted).
	 */
	async upstream(
		path: string,
		options: { method?: 'GET' | 'POST'; body?: unknown; signal?: AbortSignal; query?: string } = {},
	): Promise<UpstreamAnswer> {
		const anthropic = this.auth.upstream_api === 'anthropic';
		const headers: Record<string, string> = { 'content-type': 'application/json' };
		if (anthropic) {
			for (const name of ANTHROPIC_REQUEST_HEADERS) {
				const value = this.header(name);
				if (value !== undefined) headers[name] = value;
			}
			headers['anthropic-version'] ??= '2023-06-01';
		}
		const request = {
			method: options.method ?? 'POST',
			url: endpointUrl(this.auth.upstream_url, path, options.query),
			headers,
			body: options.body === undefined ? undefined : JSON.stringify(options.body),
			encoding: 'stream' as const,
			json: false,
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
			timeout: this.timeoutSeconds * 1000,
			abortSignal: options.signal,
		};
		if (!anthropic && isAzureOpenAi(this.auth.upstream_url)) {
			// Azure OpenAI takes the key in "api-key"; n8n's OpenAI credential would send a bearer token.
			const credentials = await this.context.getCredentials('openAiApi');
			headers['api-key'] = String(credentials.apiKey);
			if (credentials.header && credentials.headerName)
				headers[String(credentials.headerName)] = String(credentials.headerValue ?? '');
			return (await this.context.helpers.httpRequest(request)) as UpstreamAnswer;
		}
		return (await this.context.helpers.httpRequestWithAuthentication.call(
			this.context,
			anthropic ? 'anthropicApi' : 'openAiApi',
			request,
		)) as UpstreamAnswer;
	}

	/** The answer's headers a client may rely on, as the provider sent them. */
	passedHeaders(answer: UpstreamAnswer): Record<string, string> {
		const passed: Record<string, string> = {
			'content-type': String(answer.headers['content-type'] ?? 'application/json'),
		};
		for (const [name, value] of Object.entries(answer.headers)) {
			const lower = name.toLowerCase();
			if (PASSED_HEADERS.includes(lower) || PASSED_PREFIXES.some((p) => lower.startsWith(p)))
				passed[lower] = String(value);
		}
		return passed;
	}
}

/** A whole answer body, read to its end. */
export async function readAll(body: AsyncIterable<Buffer>): Promise<Buffer> {
	const chunks: Buffer[] = [];
	for await (const chunk of body) chunks.push(chunk);
	return Buffer.concat(chunks);
}
