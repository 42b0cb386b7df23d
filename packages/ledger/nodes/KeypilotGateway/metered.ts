import {
	describeQuota,
	isRateLimit,
	QUOTA_EXHAUSTED,
	rateRefusal,
	type QuotaType,
} from '../../core/quota';
import { EXPIRY_MARGIN_SECONDS, reserveForChat } from '../../core/quota/chat';
import { countBody, countedTokens } from '../../core/gateway/routes';
import type { BoundViolation } from '../../core/tokens';
import { chatFlavorOf, missingUsage, usageOrMissing } from '../../core/usage/extract';
import { priceUsage } from '../../core/usage/price';
import { priceCeiling } from '../../core/usage/pricing';
import {
	beyondBound,
	withChatSearch,
	withPartTokens,
	type ChatRequestBound,
} from '../../core/usage/requestBound';
import { usageRow, type RequestFacts } from '../../core/usage/row';
import { recordCall } from '../../core/usage/record';
import type { ExtractedUsage } from '../../core/usage/types';
import { budgetRefusal } from '../../common/budgetRefusal';
import { redactSecrets } from '../../common/redact';
import { callEvents } from './callEvents';
import { readAll, type Exchange, type UpstreamAnswer } from './exchange';

/**
 * A metered route (Chat Completions, Responses, Messages, embeddings), answered inside the
 * trigger: the token checked by its hash, a proven upper bound of the request reserved on its
 * quota, the provider called with the real key, the answer streamed to the client byte for byte
 * as it arrives, and the usage logged and the reservation settled in one transaction. A
 * provider's explicit error releases the reservation; no answer at all leaves it to expire and
 * be charged in full; a provider that reports more than the bound is charged what it reports and
 * the token is suspended.
 */
export async function serveMetered(ex: Exchange): Promise<void> {
	const { route, res } = ex;
	if (!ex.token) {
		await ex.admit(undefined);
		return;
	}
	let bound: ChatRequestBound;
	try {
		bound = route.bound!(ex.body);
	} catch (error) {
		ex.refuseInvalid(error);
		return;
	}
	const body = ex.body as Record<string, unknown> & { model: string };
	const model = body.model;

	const prices = await ex.ledger(true);
	if (prices === false || !(await ex.admit(model)) || !(await ex.ownsPreviousResponse())) return;
	const { auth, pool } = ex;

	if (bound.unbounded.length) {
		const counted = route.counter ? await countPrompt(ex, route.counter, body) : undefined;
		try {
			bound = withPartTokens(bound, {
				counted,
				ceilings: auth.part_token_ceilings,
				upstream: auth.upstream,
			});
		} catch (error) {
			ex.refuseInvalid(error);
			return;
		}
	}

	const subject = { type: 'token_hash', id: auth.token_hash };
	// The upstream's host tells whose prices apply (OpenAI, OpenRouter, Volcengine Ark, ...); the
	// route tells how its answer reports usage.
	const provider = ex.provider();
	const flavor = route.flavor === 'openai_chat' ? chatFlavorOf(auth.upstream_url) : route.flavor!;
	const pricing = prices!.overrides.find(model, provider) ?? prices!.catalog.find(model, provider);
	let reservation;
	try {
		reservation = await reserveForChat(pool, {
			subject,
			body,
			bound,
			model,
			defaultOutput: ex.defaultOutput,
			expiresIn: ex.timeoutSeconds + EXPIRY_MARGIN_SECONDS,
			ceiling: pricing ? priceCeiling(pricing) : undefined,
		});
	} catch (error) {
		ex.refuseInvalid(error);
		return;
	}
	const rated = reservation.row && isRateLimit(reservation.row) ? reservation.row : undefined;
	const quota = reservation.row && !rated ? describeQuota(reservation.row) : undefined;
	const quotaHeaders = quota?.headers ?? {};
	// Each layer tells its own crossing: a team's warning apart from the token's.
	for (const layer of reservation.row?.layers ?? []) {
		if (isRateLimit(layer)) continue;
		const state = describeQuota(layer);
		const refused =
			reservation.outcome === 'exhausted' && layer.quota_id === reservation.row!.quota_id;
		const exhausted = refused || state.remaining === 0 || state.remaining === '0';
		if (exhausted || state.warning) {
			ex.tellQuota({
				subject: { type: layer.subject_type!, id: layer.subject_id! },
				models: layer.models ?? '',
				kind: exhausted ? 'exhausted' : 'warning',
				used: state.headers['X-Quota-Used'],
				type: state.quota_type as QuotaType,
			});
		}
	}
	if (rated && reservation.outcome === 'exhausted') {
		// A rate or concurrency limit lifts by itself: the client is told when, as the provider would.
		const { message, retryAfterSeconds } = rateRefusal(rated);
		ex.refuse(
			429,
			rated.kind === 'tokens_per_minute' ? 'token_rate_limited' : 'rate_limited',
			message,
			{
				headers: {
					'X-Quota-Scope': describeQuota(rated).headers['X-Quota-Scope'] ?? '',
					...(retryAfterSeconds === null
						? { 'x-should-retry': 'false' }
						: { 'retry-after': String(retryAfterSeconds) }),
				},
			},
		);
		return;
	}
	if (reservation.outcome === 'exhausted' || !reservation.request) {
		const message = reservation.message ?? 'Quota exhausted';
		ex.refuse(
			429,
			'quota_exhausted',
			route.wire === 'anthropic' ? `${QUOTA_EXHAUSTED}: ${message}` : message,
			// Retrying cannot help until the quota resets or grows: the official SDKs honour this.
			{ headers: { ...quotaHeaders, 'x-should-retry': 'false' } },
		);
		return;
	}
	const held = reservation.reservationId;
	const sentBound: ChatRequestBound = {
		...bound,
		outputTokens: reservation.summary.output_tokens ?? bound.outputTokens,
	};

	const facts = (status: number | null): RequestFacts => ({
		logged_at: new Date().toISOString(),
		key_hash: auth.token_hash,
		key_id: null,
		key_name: auth.token_name,
		route: route.route,
		http_method: 'POST',
		status_code: status,
		response_ms: Math.round(performance.now() - ex.started),
		client_ip: ex.clientIp,
		user_agent: ex.header('user-agent') ?? null,
		execution_id: null,
		workflow_id: ex.workflowId,
		model,
	});
	/** The usage row and its charge, in one transaction; `release`: the provider did nothing. */
	const record = async (
		text: string | undefined,
		status: number | null,
		problem?: string,
		release = false,
	) => {
		const read =
			text === undefined
				? missingUsage(
						{ provider, api_flavor: flavor, model, request_id: null },
						problem ?? 'The provider sent no usage',
					)
				: usageOrMissing(text, flavor, model);
		const usage = withChatSearch({ ...read, provider }, bound);
		// Provider messages may echo part of the provider key ("Incorrect API key provided: sk-…"):
		// masked before they reach the ledger.
		const row = usageRow(usage, priceUsage(usage, prices!), {
			...facts(status),
			error_message: problem === undefined ? null : redactSecrets(problem, []),
		});
		const violation = overReport(ex, sentBound, usage);
		const client = await pool.connect();
		try {
			await recordCall(client, row, {
				charge: held ? { subject, reservationId: held, release } : undefined,
				violation,
				events:
					ex.events && ex.emits.size
						? { target: ex.events, events: callEvents(ex, row, violation) }
						: undefined,
			});
		} finally {
			client.release();
		}
	};

	const abort = new AbortController();
	// A client that goes away stops the provider's work; what it did so far is still charged.
	res.on('close', () => {
		if (!res.writableFinished) abort.abort();
	});
	let answer: UpstreamAnswer;
	try {
		answer = await ex.upstream(route.path, { body: reservation.request, signal: abort.signal });
	} catch (error) {
		// No answer: the provider may have done the work, so the whole reservation is charged (the
		// usage is missing).
		const reason = `No answer from the provider: ${(error as Error).message}`;
		await record(undefined, null, reason).catch(() => undefined);
		ex.refuse(502, 'upstream_unreachable', 'The provider could not be reached', { event: false });
		return;
	}

	const passed: Record<string, string> = { ...ex.passedHeaders(answer), ...quotaHeaders };
	const streamed = passed['content-type'].includes('text/event-stream');
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
	// A spend limit or budget is logged (and told to the workflow) as what it is.
	const refusal = failed ? budgetRefusal(answer.statusCode, parsedOrText(text)) : undefined;
	try {
		await record(
			failed ? undefined : text,
			answer.statusCode,
			failed
				? (refusal?.message ?? `Provider error ${answer.statusCode}: ${text.slice(0, 500)}`)
				: cut,
			failed,
		);
	} catch {
		// The usage could not be written: the reservation stays and is charged in full when it
		// expires; the answer is withheld where it has not gone out yet, since it was not recorded.
		if (!res.headersSent) {
			ex.refuse(503, 'ledger_unavailable', 'The gateway cannot reach its ledger. Retry later.', {
				headers: { 'retry-after': '5' },
			});
			return;
		}
	}
	if (cut !== undefined) {
		// The provider dropped the answer: the client learns it as it would from the provider, a
		// stream that breaks off, or a 502 instead of a truncated body.
		if (streamed) res.destroy();
		else
			ex.refuse(502, 'upstream_unreachable', 'The provider dropped its answer', { event: false });
		return;
	}
	if (streamed) {
		res.end();
		return;
	}
	// The official SDKs retry a 429 unless told not to; a spend limit will not lift on a retry.
	if (refusal && !refusal.retryable) passed['x-should-retry'] = 'false';
	res.status(answer.statusCode).set(passed).send(Buffer.concat(chunks));
}

function parsedOrText(text: string): unknown {
	try {
		return JSON.parse(text);
	} catch {
		return text;
	}
}

/**
 * The provider's own count of the prompt, for parts whose bytes do not bound their tokens;
 * undefined when the upstream could not count it (ceilings decide then).
 */
async function countPrompt(
	ex: Exchange,
	counter: string,
	body: Record<string, unknown>,
): Promise<number | undefined> {
	try {
		const answer = await ex.upstream(counter, { body: countBody(ex.route, body) });
		const text = (await readAll(answer.body)).toString('utf8');
		if (answer.statusCode >= 300) return undefined;
		return countedTokens(JSON.parse(text));
	} catch {
		return undefined;
	}
}

/** A report beyond the bound, as the violation to record; undefined when within it. */
function overReport(
	ex: Exchange,
	bound: ChatRequestBound,
	usage: ExtractedUsage & { missing?: string },
): BoundViolation | undefined {
	if (usage.missing !== undefined) return undefined;
	const beyond = beyondBound(bound, {
		prompt:
			(usage.input_tokens ?? 0) +
			(usage.cache_read_tokens ?? 0) +
			(usage.cache_write_5m_tokens ?? 0) +
			(usage.cache_write_1h_tokens ?? 0),
		output: usage.output_tokens ?? 0,
	});
	if (!beyond) return undefined;
	return {
		key_hash: ex.auth.token_hash,
		key_name: ex.auth.token_name,
		route: ex.route.route,
		model: usage.model,
		request_id: usage.request_id,
		...beyond,
	};
}
