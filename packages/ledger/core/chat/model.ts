/**
 * A chat model whose every call is governed: the call's proven upper bound is reserved on the
 * quota before anything is sent (a quota that cannot pay refuses the call, and the provider never
 * sees it), the provider is called, one usage row with tokens, exact cost, latency, workflow and
 * execution is written and the reservation settled in one transaction. An explicit provider error
 * releases the reservation; a call with no answer leaves it to expire and be charged in full;
 * missing usage charges the whole reservation. The same cores as the Usage Logger and Quota Check.
 * Pure: no n8n import; the HTTP call and the database come from the node.
 */

import {
	describeQuota,
	isRateLimit,
	QUOTA_EXHAUSTED,
	RATE_LIMITED,
	rateRefusal,
	type QuotaSubject,
} from '../quota';
import type { Queryable } from '../db';
import { EXPIRY_MARGIN_SECONDS, reserveForChat } from '../quota/chat';
import { redactSecrets } from '../../common/redact';
import { chatFlavorOf, missingUsage, usageOrMissing } from '../usage/extract';
import { priceUsage, type PriceBook } from '../usage/price';
import { priceCeiling } from '../usage/pricing';
import { boundChatRequest } from '../usage/requestBound';
import { type RequestFacts, usageRow } from '../usage/row';
import { recordCall } from '../usage/record';
import type { UsageRow } from '../usage/store';
import { type ApiFlavor, PROVIDER_OF_FLAVOR } from '../usage/types';
import { budgetRefusal } from '../../common/budgetRefusal';
import { parseRetryAfter } from '../../common/retryAfter';
import { anthropicMessagesBody, fromAnthropicAnswer } from './anthropic';
import { fromOpenAiAnswer, openAiChatBody, toOpenAiTools } from './openai';
import type { ChatConfig, ChatMessage, ChatTool, GenerateResult, StreamChunk } from './types';

/**
 * Anthropic adds a system prompt of its own when tools are given (a few hundred tokens by its
 * documentation's table); the bound allows for this many.
 */
export const ANTHROPIC_TOOL_PROMPT_TOKENS = 1024;

export const QUOTA_NOT_SET = 'QUOTA_NOT_SET';

/** The quota cannot pay for the call: nothing was sent to the provider. */
export class QuotaExhaustedError extends Error {
	readonly code = QUOTA_EXHAUSTED;
	constructor(message: string) {
		super(`${QUOTA_EXHAUSTED}: ${message}`);
		this.name = 'QuotaExhaustedError';
	}
}

/** A rate or concurrency limit of the subject or a layer above it refused the call. */
export class RateLimitedError extends Error {
	readonly code = RATE_LIMITED;
	constructor(message: string) {
		super(`${RATE_LIMITED}: ${message}`);
		this.name = 'RateLimitedError';
	}
}

/** The provider answered with an error status; the reservation was released. */
export class ProviderCallError extends Error {
	constructor(
		readonly status: number,
		message: string,
	) {
		super(message);
		this.name = 'ProviderCallError';
	}
}

export interface LedgerConnection extends Queryable {
	release(destroy?: boolean): void;
}

export interface ProviderAnswer {
	status: number;
	body: unknown;
	headers?: Record<string, unknown>;
}

/** Retries of a call refused by a transient budget (OpenRouter's in-flight budget), and the longest wait. */
const BUDGET_RETRIES = 3;
const MAX_BUDGET_WAIT_MS = 30_000;

/** Waits as long as a refusal asked, up to MAX_BUDGET_WAIT_MS. */
async function waitAsTold(ms: number): Promise<void> {
	await new Promise((resolve) => setTimeout(resolve, Math.min(ms, MAX_BUDGET_WAIT_MS)));
}

export interface GovernedChatOptions {
	api: 'openai' | 'anthropic';
	model: string;
	/** The endpoint's base URL: it tells the provider apart for pricing (OpenRouter, Ark, Azure). */
	baseUrl: string;
	defaults: ChatConfig;
	/** Sends the body to the provider; throws only when no answer came (network, timeout). */
	send(body: Record<string, unknown>, timeoutMs: number): Promise<ProviderAnswer>;
	connect(): Promise<LedgerConnection>;
	subject: QuotaSubject;
	/** A subject without a quota: let the call through (metered all the same) or refuse it. */
	whenNoQuota: 'allow' | 'refuse';
	prices: PriceBook;
	defaultOutputTokens: number;
	timeoutSeconds: number;
	/** Turns a tool's input schema into JSON Schema (the SDK's getParametersJsonSchema). */
	schema(tool: ChatTool): unknown;
	context: { workflowId: string | null; executionId: string | null; keyName: string | null };
	/** Kept out of every message and logged row (the provider key). */
	secrets: string[];
}

export class GovernedChatModel {
	readonly provider: string;
	readonly modelId: string;
	readonly defaultConfig: ChatConfig;

	constructor(
		private readonly options: GovernedChatOptions,
		private readonly tools: ChatTool[] = [],
	) {
		this.provider = options.api;
		this.modelId = options.model;
		this.defaultConfig = options.defaults;
	}

	withTools(tools: ChatTool[]): GovernedChatModel {
		return new GovernedChatModel(this.options, [...this.tools, ...tools]);
	}

	private flavor(): ApiFlavor {
		if (this.options.api === 'anthropic') return 'anthropic_messages';
		return chatFlavorOf(this.options.baseUrl);
	}

	private async withLedger<T>(work: (db: LedgerConnection) => Promise<T>): Promise<T> {
		const db = await this.options.connect();
		let ok = false;
		try {
			const result = await work(db);
			ok = true;
			return result;
		} finally {
			db.release(!ok);
		}
	}

	async generate(messages: ChatMessage[], callConfig: ChatConfig = {}): Promise<GenerateResult> {
		const o = this.options;
		const config = { ...o.defaults, ...callConfig };
		const flavor = this.flavor();
		const openAiTools = toOpenAiTools(this.tools, o.schema);
		const openAiBody = openAiChatBody(o.model, messages, openAiTools, config);
		let bound = boundChatRequest(openAiBody);
		if (o.api === 'anthropic' && openAiTools.length) {
			bound = { ...bound, promptTokens: bound.promptTokens + ANTHROPIC_TOOL_PROMPT_TOKENS };
		}
		const provider = PROVIDER_OF_FLAVOR[flavor];
		const pricing =
			o.prices.overrides.find(o.model, provider) ?? o.prices.catalog.find(o.model, provider);

		const reserve = () =>
			this.withLedger((db) =>
				reserveForChat(db, {
					subject: o.subject,
					body: openAiBody,
					bound,
					model: o.model,
					defaultOutput: o.defaultOutputTokens,
					expiresIn: o.timeoutSeconds + EXPIRY_MARGIN_SECONDS,
					ceiling: pricing ? priceCeiling(pricing) : undefined,
				}),
			);
		let reservation = await reserve();
		// A rate or concurrency limit lifts by itself: the call waits as told, a bounded number of
		// times, as it does for a provider's in-flight budget.
		for (let attempt = 0; reservation.outcome === 'exhausted'; attempt++) {
			const row = reservation.row!;
			if (!isRateLimit(row)) break;
			const { retryAfterSeconds } = rateRefusal(row);
			if (retryAfterSeconds === null || attempt >= BUDGET_RETRIES) {
				throw new RateLimitedError(reservation.message!);
			}
			await waitAsTold(retryAfterSeconds * 1000);
			reservation = await reserve();
		}
		if (reservation.outcome === 'exhausted') {
			const row = reservation.row!;
			const state = describeQuota(row);
			throw new QuotaExhaustedError(
				`${reservation.message} (remaining ${String(state.remaining)} of limit ${String(state.quota_limit)})`,
			);
		}
		if (reservation.outcome === 'none' && o.whenNoQuota === 'refuse') {
			throw new Error(
				`${QUOTA_NOT_SET}: ${o.subject.type} ${o.subject.id} has no quota, and calls without one are refused`,
			);
		}
		const outputTokens = reservation.summary.output_tokens ?? o.defaultOutputTokens;
		const body =
			o.api === 'anthropic'
				? anthropicMessagesBody(o.model, messages, this.tools, o.schema, config, outputTokens)
				: reservation.request!;
		const held = reservation.outcome === 'allowed' ? reservation.reservationId : undefined;

		const started = performance.now();
		let answer: ProviderAnswer | undefined;
		let failure: unknown;
		for (let attempt = 0; ; attempt++) {
			answer = undefined;
			try {
				answer = await o.send(body, o.timeoutSeconds * 1000);
			} catch (error) {
				failure = error;
			}
			// Refused before any provider saw it (OpenRouter's in-flight budget): the reservation
			// still holds, so the call waits as asked and goes again, a bounded number of times.
			const refusal = answer && answer.status >= 400 && budgetRefusal(answer.status, answer.body);
			if (!answer || !refusal || !refusal.retryable || attempt >= BUDGET_RETRIES) break;
			const wait = parseRetryAfter(answer.headers?.['retry-after']) ?? 1000 * 2 ** attempt;
			await waitAsTold(wait);
		}
		if (!answer) {
			// No answer: the provider may have done the work, so the reservation is left to expire
			// and be charged in full; the failure is logged now.
			const reason = redactSecrets(
				(failure as Error | undefined)?.message ?? String(failure),
				o.secrets,
			);
			await this.record(failureRow(flavor, o, null, elapsed(started), `No answer: ${reason}`));
			throw new ProviderCallError(0, `No answer from the provider: ${reason}`);
		}
		const ms = elapsed(started);
		if (answer.status >= 400) {
			const message = redactSecrets(
				providerMessage(answer.body) ?? `status ${answer.status}`,
				o.secrets,
			);
			await this.record(failureRow(flavor, o, answer.status, ms, message), undefined, held);
			// A spend limit or budget says what to change; anything else, what the provider said.
			const refusal = budgetRefusal(answer.status, answer.body);
			throw new ProviderCallError(
				answer.status,
				refusal
					? redactSecrets(refusal.message, o.secrets)
					: `${o.api === 'anthropic' ? 'Anthropic' : 'The provider'} answered ${answer.status}: ${message}`,
			);
		}

		const usage = usageOrMissing(answer.body, flavor, o.model);
		const priced = priceUsage(usage, o.prices);
		const row = usageRow(usage, priced, {
			...requestFacts(o, ms),
			status_code: answer.status,
		});
		await this.record(row, held);

		const reply =
			o.api === 'anthropic'
				? fromAnthropicAnswer(answer.body as Record<string, unknown>)
				: fromOpenAiAnswer(answer.body as Record<string, unknown>);
		const prompt =
			(usage.input_tokens ?? 0) +
			(usage.cache_read_tokens ?? 0) +
			(usage.cache_write_5m_tokens ?? 0) +
			(usage.cache_write_1h_tokens ?? 0);
		const completion = usage.output_tokens ?? 0;
		return {
			...reply,
			usage: {
				promptTokens: prompt,
				completionTokens: completion,
				totalTokens: prompt + completion,
				...(usage.cache_read_tokens
					? { inputTokenDetails: { cacheRead: usage.cache_read_tokens } }
					: {}),
				...(usage.reasoning_tokens
					? { outputTokenDetails: { reasoning: usage.reasoning_tokens } }
					: {}),
			},
			providerMetadata: { cost_usd: priced.cost_usd, response_ms: ms },
		};
	}

	/** The answer in pieces, for callers that stream: the provider is called once, as in generate. */
	async *stream(messages: ChatMessage[], config: ChatConfig = {}): AsyncIterable<StreamChunk> {
		const result = await this.generate(messages, config);
		for (const part of result.message.content) {
			if (part.type === 'text')
				yield { type: 'text-delta', delta: (part as { text: string }).text };
			if (part.type === 'tool-call') {
				const call = part as { toolCallId?: string; toolName: string; input: string };
				yield {
					type: 'tool-call-delta',
					id: call.toolCallId,
					name: call.toolName,
					argumentsDelta: call.input,
				};
			}
		}
		yield { type: 'finish', finishReason: result.finishReason ?? 'other', usage: result.usage };
	}

	/**
	 * The usage row and its charge in one transaction. `settle`: the reservation this usage settles;
	 * `release`: a reservation to give back (the provider refused the call).
	 */
	private async record(row: UsageRow, settle?: string, release?: string): Promise<void> {
		const reservationId = settle ?? release;
		const charge = reservationId
			? { subject: this.options.subject, reservationId, release: release !== undefined }
			: undefined;
		await this.withLedger(async (db) => await recordCall(db, row, { charge }));
	}
}

function elapsed(started: number): number {
	return Math.round(performance.now() - started);
}

/** What the model's usage rows say of each call, beyond the answer's usage. */
function requestFacts(o: GovernedChatOptions, ms: number): RequestFacts {
	return {
		logged_at: new Date().toISOString(),
		model: o.model,
		key_hash:
			o.subject.type === 'key_hash' || o.subject.type === 'token_hash' ? o.subject.id : null,
		key_id: o.subject.type === 'key_id' ? o.subject.id : null,
		key_name: o.context.keyName,
		route: o.api === 'anthropic' ? '/v1/messages' : '/chat/completions',
		http_method: 'POST',
		status_code: null,
		response_ms: ms,
		client_ip: null,
		user_agent: 'n8n KeyPilot Chat Model',
		execution_id: o.context.executionId,
		workflow_id: o.context.workflowId,
	};
}

/** A call that brought no usage back: logged with its reason, no tokens and no cost. */
function failureRow(
	flavor: ApiFlavor,
	o: GovernedChatOptions,
	status: number | null,
	ms: number,
	message: string,
): UsageRow {
	const none = missingUsage(
		{ provider: PROVIDER_OF_FLAVOR[flavor], api_flavor: flavor, model: o.model, request_id: null },
		message,
	);
	return usageRow(
		none,
		{ cost_usd: null, price_source: null },
		{ ...requestFacts(o, ms), status_code: status, error_message: message.slice(0, 500) },
	);
}

function providerMessage(body: unknown): string | undefined {
	if (typeof body === 'string') return body.slice(0, 300);
	const error = (body as { error?: unknown } | undefined)?.error;
	if (typeof error === 'string') return error;
	const message = (error as { message?: unknown } | undefined)?.message;
	return typeof message === 'string' ? message : undefined;
}
