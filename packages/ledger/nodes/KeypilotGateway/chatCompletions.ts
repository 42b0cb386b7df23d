import type { IExecuteFunctions, IWebhookFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import type { Pool } from 'pg';

import { openAiError, tokenFrom } from '../../core/gateway/wire';
import { describeQuota, QUOTA_EXHAUSTED } from '../../core/quota';
import { EXPIRY_MARGIN_SECONDS, reserveForChat } from '../../core/quota/chat';
import { authenticate } from '../../core/tokens';
import { chatFlavorOf, missingUsage, usageOrMissing } from '../../core/usage/extract';
import { priceUsage } from '../../core/usage/price';
import { priceCeiling } from '../../core/usage/pricing';
import { boundChatRequest, RequestBoundError } from '../../core/usage/requestBound';
import { usageRow, type RequestFacts } from '../../core/usage/row';
import { recordCall } from '../../core/usage/record';
import { PROVIDER_OF_FLAVOR } from '../../core/usage/types';
import { redactSecrets } from '../../common/redact';
import { currentPool } from '../postgres/pool';
import { loadPrices, type Prices } from '../pricing/prices';

const ROUTE = '/v1/chat/completions';

type Response = ReturnType<IWebhookFunctions['getResponseObject']>;

/** Answers in OpenAI's error shape, with any quota headers. */
function refuse(
	res: Response,
	status: number,
	body: ReturnType<typeof openAiError>,
	headers: Record<string, string> = {},
) {
	res.status(status).set(headers).json(body);
}

/**
 * `POST /v1/chat/completions` for a gateway token, answered inside the trigger: the token checked
 * by its hash, a proven upper bound of the request reserved on its quota, the provider called
 * with the real key, the answer streamed to the client as it arrives, and the usage logged and
 * the reservation settled in one transaction. A provider's explicit error releases the
 * reservation; no answer at all leaves it to expire and be charged in full.
 */
export async function serveChatCompletions(this: IWebhookFunctions): Promise<void> {
	// Everything read from n8n's context is read here, before the first await: the trigger
	// returns to n8n at that point (see KeypilotGateway.webhook) and the answer goes on by itself.
	const res = this.getResponseObject();
	const request = this.getRequestObject();
	const started = performance.now();
	const headers = this.getHeaderData() as Record<string, string | string[] | undefined>;
	const timeoutSeconds = this.getNodeParameter('upstreamTimeout', 120) as number;
	const defaultOutput = this.getNodeParameter('defaultOutputTokens', 4096) as number;
	const workflowId = this.getWorkflow().id ?? null;
	const userAgent = typeof headers['user-agent'] === 'string' ? headers['user-agent'] : null;
	const token = tokenFrom(headers);
	if (!token) {
		refuse(
			res,
			401,
			openAiError(
				'Send the gateway token as "Authorization: Bearer <token>" or "x-api-key: <token>"',
				'invalid_request_error',
				'invalid_api_key',
			),
		);
		return;
	}
	const body = this.getBodyData() as unknown;
	let bound;
	try {
		bound = boundChatRequest(body);
	} catch (error) {
		if (!(error instanceof RequestBoundError))
			throw new NodeOperationError(this.getNode(), error as Error);
		refuse(res, 400, openAiError(error.message, 'invalid_request_error', null, error.field));
		return;
	}
	const chat = body as Record<string, unknown>;
	const model = String(chat.model);

	let pool: Pool;
	let prices: Prices;
	try {
		pool = await currentPool(await this.getCredentials('postgres'));
		prices = await loadPrices.call(this as unknown as IExecuteFunctions);
	} catch {
		res.set('Retry-After', '5');
		refuse(
			res,
			503,
			openAiError(
				'The gateway cannot reach its ledger, so nothing was served. Retry later.',
				'server_error',
				'ledger_unavailable',
			),
		);
		return;
	}

	const auth = await authenticate(pool, token, { scope: 'gateway', route: ROUTE, model });
	if (!auth.authenticated) {
		refuse(
			res,
			401,
			openAiError('Unknown or revoked token', 'invalid_request_error', 'invalid_api_key'),
		);
		return;
	}
	if (!auth.permitted) {
		refuse(
			res,
			403,
			openAiError(
				`This token may not use ${ROUTE} with model "${model}"`,
				'permission_error',
				'forbidden',
			),
		);
		return;
	}

	const subject = { type: 'token_hash', id: auth.token_hash };
	// The upstream's host tells which API answers (OpenAI, OpenRouter, Volcengine Ark, ...), as
	// the chat model reads it: usage is read and priced as that provider's.
	const flavor = chatFlavorOf(auth.upstream_url);
	const provider = PROVIDER_OF_FLAVOR[flavor];
	const pricing = prices.overrides.find(model, provider) ?? prices.catalog.find(model, provider);
	let reservation;
	try {
		reservation = await reserveForChat(pool, {
			subject,
			body: chat,
			bound,
			model,
			defaultOutput,
			expiresIn: timeoutSeconds + EXPIRY_MARGIN_SECONDS,
			ceiling: pricing ? priceCeiling(pricing) : undefined,
		});
	} catch (error) {
		if (!(error instanceof RequestBoundError))
			throw new NodeOperationError(this.getNode(), error as Error);
		refuse(res, 400, openAiError(error.message, 'invalid_request_error', null, error.field));
		return;
	}
	const quotaHeaders = reservation.row ? describeQuota(reservation.row).headers : {};
	if (reservation.outcome === 'exhausted' || !reservation.request) {
		refuse(
			res,
			429,
			openAiError(reservation.message ?? 'Quota exhausted', 'insufficient_quota', QUOTA_EXHAUSTED),
			quotaHeaders,
		);
		return;
	}
	const held = reservation.reservationId;

	const facts = (status: number | null): RequestFacts => ({
		logged_at: new Date().toISOString(),
		key_hash: auth.token_hash,
		key_id: null,
		key_name: auth.token_name,
		route: ROUTE,
		http_method: 'POST',
		status_code: status,
		response_ms: Math.round(performance.now() - started),
		client_ip: request.ip ?? null,
		user_agent: userAgent,
		execution_id: null,
		workflow_id: workflowId,
		model,
	});
	/** The usage row and its charge, in one transaction; `release`: the provider did nothing. */
	const record = async (
		text: string | undefined,
		status: number | null,
		problem?: string,
		release = false,
	) => {
		const usage =
			text === undefined
				? missingUsage(
						{ provider, api_flavor: flavor, model, request_id: null },
						problem ?? 'The provider sent no usage',
					)
				: usageOrMissing(text, flavor, model);
		// Provider messages may echo part of the provider key ("Incorrect API key provided: sk-…"):
		// masked before they reach the ledger.
		const row = usageRow(usage, priceUsage(usage, prices), {
			...facts(status),
			error_message: problem === undefined ? null : redactSecrets(problem, []),
		});
		const client = await pool.connect();
		try {
			await recordCall(client, row, held ? { subject, reservationId: held, release } : undefined);
		} finally {
			client.release();
		}
	};

	const url = `${auth.upstream_url.replace(/\/+$/, '')}/chat/completions`;
	const abort = new AbortController();
	// A client that goes away stops the provider's work; what it did so far is still charged.
	res.on('close', () => {
		if (!res.writableFinished) abort.abort();
	});
	let answer: { statusCode: number; headers: Record<string, string>; body: AsyncIterable<Buffer> };
	try {
		// n8n's OpenAI credential adds the provider key; the caller never sees it.
		answer = (await this.helpers.httpRequestWithAuthentication.call(this, 'openAiApi', {
			method: 'POST',
			url,
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify(reservation.request),
			encoding: 'stream',
			json: false,
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
			timeout: timeoutSeconds * 1000,
			abortSignal: abort.signal,
		})) as typeof answer;
	} catch (error) {
		// No answer: the provider may have done the work, so the reservation expires charged in full.
		const reason = `No answer from the provider: ${(error as Error).message}`;
		await record(undefined, null, reason).catch(() => undefined);
		if (!res.headersSent) {
			refuse(
				res,
				502,
				openAiError('The provider could not be reached', 'server_error', 'upstream_unreachable'),
			);
		}
		return;
	}

	const contentType = String(answer.headers['content-type'] ?? 'application/json');
	const streamed = contentType.includes('text/event-stream');
	const passed: Record<string, string> = { 'content-type': contentType, ...quotaHeaders };
	for (const name of ['retry-after', 'x-request-id']) {
		if (answer.headers[name]) passed[name] = String(answer.headers[name]);
	}
	if (streamed) {
		// no-transform: n8n's compression middleware would otherwise hold the stream back.
		res.status(answer.statusCode).set({ ...passed, 'cache-control': 'no-cache, no-transform' });
		res.flushHeaders();
	}
	const chunks: Buffer[] = [];
	let cut: string | undefined;
	try {
		for await (const chunk of answer.body) {
			chunks.push(chunk);
			if (streamed && !res.writableEnded) res.write(chunk);
		}
	} catch (error) {
		cut = `The answer ended early: ${(error as Error).message}`;
	}
	const text = Buffer.concat(chunks).toString('utf8');
	const failed = answer.statusCode >= 400;
	try {
		await record(
			failed ? undefined : text,
			answer.statusCode,
			failed ? `Provider error ${answer.statusCode}: ${text.slice(0, 500)}` : cut,
			failed,
		);
	} catch {
		// The usage could not be written: the reservation stays and is charged in full when it
		// expires; the answer is withheld where it has not gone out yet, since it was not recorded.
		if (!res.headersSent) {
			res.set('Retry-After', '5');
			refuse(
				res,
				503,
				openAiError(
					'The gateway cannot reach its ledger. Retry later.',
					'server_error',
					'ledger_unavailable',
				),
			);
			return;
		}
	}
	if (streamed) {
		res.end();
		return;
	}
	res.status(answer.statusCode).set(passed).send(Buffer.concat(chunks));
}
