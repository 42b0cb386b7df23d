/**
 * Internal tokens for the gateway, the key webhook and the report: minted here (only the hash and
 * a redacted form are stored) and checked by hash, so a token never travels into SQL.
 */
import { randomBytes } from 'node:crypto';

import { keyHash } from './keyHash';
import type { Queryable } from './db';
import { LedgerInputError } from './fields';
import { MAX_LAYER_DEPTH } from './quota/statements';
import { PARENT_TYPES, parseParent, type ParentType, type QuotaSubject } from './quota/parse';

export const TOKEN_SCOPES = ['gateway', 'keys:create', 'reports:read'] as const;
export type TokenScope = (typeof TOKEN_SCOPES)[number];

const NAME = /^\P{Cc}{1,100}$/u;

export interface TokenRequest {
	name: string;
	scopes: TokenScope[];
	routes: string[];
	models: string[];
	upstream: string;
	/** The layer the token's requests also spend on: a team, organization, project or account. */
	parent?: QuotaSubject | null;
}

export function parseTokenRequest(input: {
	name: unknown;
	scopes: unknown;
	routes: unknown;
	models: unknown;
	upstream: unknown;
	parentType?: unknown;
	parent?: unknown;
}): TokenRequest {
	if (typeof input.name !== 'string' || !NAME.test(input.name)) {
		throw new LedgerInputError(
			'Name',
			'1 to 100 characters without control characters',
			input.name,
		);
	}
	const scopes = list(input.scopes, 'Scopes');
	if (!scopes.length || scopes.some((scope) => !TOKEN_SCOPES.includes(scope as TokenScope))) {
		throw new LedgerInputError('Scopes', `one or more of ${TOKEN_SCOPES.join(', ')}`, input.scopes);
	}
	const upstream =
		input.upstream === undefined || input.upstream === '' ? 'openai' : input.upstream;
	if (typeof upstream !== 'string') {
		throw new LedgerInputError('Upstream', 'the name of an upstream in llm_upstreams', upstream);
	}
	const parentType = input.parentType ?? 'team';
	if (!PARENT_TYPES.includes(parentType as ParentType)) {
		throw new LedgerInputError('Parent Type', `one of ${PARENT_TYPES.join(', ')}`, parentType);
	}
	const named = input.parent ?? '';
	if (typeof named !== 'string' && typeof named !== 'number') {
		throw new LedgerInputError('Parent', 'a team, organization, project or account name', named);
	}
	const parent = parseParent(parentType, named);
	return {
		name: input.name,
		scopes: scopes as TokenScope[],
		routes: list(input.routes, 'Allowed Routes'),
		models: list(input.models, 'Allowed Models'),
		upstream,
		parent,
	};
}

/** A list from an array of strings or comma-separated text; empty means any. */
function list(value: unknown, field: string): string[] {
	if (value === undefined || value === null || value === '') return [];
	const parts = Array.isArray(value) ? value : typeof value === 'string' ? value.split(',') : null;
	if (!parts || parts.some((part) => typeof part !== 'string')) {
		throw new LedgerInputError(field, 'a list of names (an array or comma-separated text)', value);
	}
	return (parts as string[]).map((part) => part.trim()).filter(Boolean);
}

export class UnknownUpstreamError extends Error {}

export interface MintedToken {
	token: string;
	token_hash: string;
	redacted_value: string;
	name: string;
	scopes: string[];
	allowed_routes: string[];
	allowed_models: string[];
	parent: QuotaSubject | null;
	upstream: string;
}

/** 256 random bits, prefixed "kp_"; stores only its hash. */
/**
 * $1-$7 the token, $8 parent type, $9 parent id (null: none). The token and its place in the
 * layers are written together, or neither: not when the upstream is unknown, nor when the
 * parent's ancestry is already as deep as the quota statements follow.
 */
const MINT_SQL = `
WITH RECURSIVE above (type, id, depth) AS (
	SELECT $8::text, $9::text, 1 WHERE $9::text IS NOT NULL
	UNION ALL
	SELECT p.parent_type, p.parent_id, a.depth + 1
	  FROM above a JOIN llm_quota_parents p ON p.subject_type = a.type AND p.subject_id = a.id
	 WHERE a.depth < ${MAX_LAYER_DEPTH}
),
placeable AS (SELECT COALESCE(max(depth), 0) < ${MAX_LAYER_DEPTH} AS ok FROM above),
minted AS (
	INSERT INTO llm_gateway_tokens (token_hash, name, redacted_value, scopes, allowed_routes, allowed_models, upstream_url, upstream)
	SELECT $1, $2, $3, $4, $5, $6, u.url, u.name FROM llm_upstreams u, placeable f WHERE u.name = $7 AND f.ok
	RETURNING token_hash
),
placed AS (
	INSERT INTO llm_quota_parents (subject_type, subject_id, parent_type, parent_id)
	SELECT 'token_hash', m.token_hash, $8::text, $9::text FROM minted m WHERE $9::text IS NOT NULL
)
SELECT (SELECT token_hash FROM minted) AS token_hash, (SELECT ok FROM placeable) AS placeable`;

export async function mintToken(db: Queryable, request: TokenRequest): Promise<MintedToken> {
	const token = `kp_${randomBytes(32).toString('hex')}`;
	const hash = keyHash(token);
	const redacted = `${token.slice(0, 7)}…${token.slice(-4)}`;
	const { rows } = await db.query<{ token_hash: string | null; placeable: boolean }>(MINT_SQL, [
		hash,
		request.name,
		redacted,
		request.scopes,
		request.routes,
		request.models,
		request.upstream,
		request.parent?.type ?? null,
		request.parent?.id ?? null,
	]);
	if (!rows[0].placeable) {
		throw new LedgerInputError(
			'Parent',
			`a layer with fewer than ${MAX_LAYER_DEPTH - 1} levels above it`,
			request.parent?.id,
		);
	}
	if (!rows[0].token_hash) {
		throw new UnknownUpstreamError(
			`The upstream "${request.upstream}" is not configured: add it to llm_upstreams first`,
		);
	}
	return {
		token,
		token_hash: hash,
		redacted_value: redacted,
		name: request.name,
		scopes: request.scopes,
		allowed_routes: request.routes,
		allowed_models: request.models,
		upstream: request.upstream,
		parent: request.parent ? { type: request.parent.type, id: request.parent.id } : null,
	};
}

export interface Authentication {
	/** The token is known and active. */
	authenticated: boolean;
	/** ...and holds the scope. */
	authorized: boolean;
	/** ...and may use this route and model (and, for the gateway, has a configured upstream). */
	permitted: boolean;
	token_hash: string;
	token_name: string;
	upstream_url: string;
	/** The upstream's name, the API it speaks and its part ceilings (gateway tokens). */
	upstream: string;
	upstream_api: UpstreamApi;
	part_token_ceilings: Record<string, number>;
	/** Why the token is suspended, when it is: nothing is admitted until an operator lifts it. */
	suspended: string | null;
	/** The models the token may use; empty: any. */
	allowed_models: string[];
}

export type UpstreamApi = 'openai' | 'anthropic';

interface TokenRecord {
	token_hash: string;
	name: string;
	scopes: string[];
	allowed_routes: string[];
	allowed_models: string[];
	upstream: string | null;
	upstream_url: string | null;
	upstream_api: UpstreamApi | null;
	part_token_ceilings: Record<string, number> | null;
	suspended_at: Date | null;
	suspended_reason: string | null;
}

/** What a check asks of a token; `anyRoute`: the route does not matter (a token's own budget). */
export interface TokenNeed {
	scope: TokenScope;
	route?: string;
	model?: string;
	anyRoute?: boolean;
}

/** Checks a token (or "Bearer …" value) by its hash. An unknown or revoked token is not an error. */
export async function authenticate(
	db: Queryable,
	authorization: string,
	need: TokenNeed,
): Promise<Authentication> {
	return await authenticateHash(db, authorization.trim() ? keyHash(authorization) : '', need);
}

/** The same check for a token known only by its hash (a signed link names the hash). */
export async function authenticateHash(
	db: Queryable,
	tokenHash: string,
	need: TokenNeed,
): Promise<Authentication> {
	const { rows } = await db.query<TokenRecord>(
		`SELECT t.token_hash, t.name, t.scopes, t.allowed_routes, t.allowed_models, t.upstream,
		        u.url AS upstream_url, u.api AS upstream_api, u.part_token_ceilings,
		        t.suspended_at, t.suspended_reason
		   FROM llm_gateway_tokens t LEFT JOIN llm_upstreams u ON u.name = t.upstream
		  WHERE t.token_hash = $1 AND t.status = 'active'`,
		[tokenHash],
	);
	const record = tokenHash ? rows[0] : undefined;
	if (!record) {
		return {
			authenticated: false,
			authorized: false,
			permitted: false,
			token_hash: '',
			token_name: '',
			upstream_url: '',
			upstream: '',
			upstream_api: 'openai',
			part_token_ceilings: {},
			suspended: null,
			allowed_models: [],
		};
	}
	// No model asked (a model list) is not a model refused. No route named is: a token limited to
	// some routes passes only a check that names one of them, unless the caller serves every
	// token whatever its routes (its own budget).
	const allows = (list: string[], value: string | undefined) =>
		list.length === 0 || value === undefined || list.includes(value);
	const routeAllowed =
		need.anyRoute === true ||
		record.allowed_routes.length === 0 ||
		(need.route !== undefined && record.allowed_routes.includes(need.route));
	const authorized = record.scopes.includes(need.scope);
	const permitted =
		authorized &&
		routeAllowed &&
		allows(record.allowed_models, need.model) &&
		(need.scope !== 'gateway' || (!!record.upstream_url && !record.suspended_at));
	return {
		authenticated: true,
		authorized,
		permitted,
		token_hash: record.token_hash,
		token_name: record.name,
		upstream_url: record.upstream_url ?? '',
		upstream: record.upstream ?? '',
		upstream_api: record.upstream_api ?? 'openai',
		part_token_ceilings: record.part_token_ceilings ?? {},
		suspended: record.suspended_at ? (record.suspended_reason ?? 'suspended') : null,
		allowed_models: record.allowed_models,
	};
}

export interface BoundViolation {
	key_hash: string;
	key_name: string | null;
	route: string;
	model: string | null;
	request_id: string | null;
	bound_tokens: number;
	reported_tokens: number;
}

/**
 * A provider reported more than the request could use: the violation recorded and the token
 * suspended, in the caller's transaction.
 */
export async function suspendForOverReport(
	db: Queryable,
	violation: BoundViolation,
): Promise<void> {
	await db.query(
		`INSERT INTO llm_bound_violations (key_hash, key_name, route, model, request_id, bound_tokens, reported_tokens)
		 VALUES ($1, $2, $3, $4, $5, $6, $7)`,
		[
			violation.key_hash,
			violation.key_name,
			violation.route,
			violation.model,
			violation.request_id,
			violation.bound_tokens,
			violation.reported_tokens,
		],
	);
	await db.query(
		`UPDATE llm_gateway_tokens
		    SET suspended_at = coalesce(suspended_at, now()),
		        suspended_reason = coalesce(suspended_reason, $2)
		  WHERE token_hash = $1`,
		[
			violation.key_hash,
			`The provider reported ${violation.reported_tokens} tokens for a request on ${violation.route} bounded at ${violation.bound_tokens}`,
		],
	);
}

export interface LiftedSuspension {
	token_hash: string;
	name: string;
	suspended_at: string;
	suspended_reason: string;
	lifted_at: string;
	violations: number;
}

/** Lifts a token's suspension; undefined when the token is unknown or not suspended. */
export async function liftSuspension(
	db: Queryable,
	tokenHash: string,
): Promise<LiftedSuspension | undefined> {
	const { rows } = await db.query<LiftedSuspension>(
		`WITH lifted AS (
		   UPDATE llm_gateway_tokens t SET suspended_at = NULL, suspended_reason = NULL
		     FROM (SELECT token_hash, suspended_at, suspended_reason FROM llm_gateway_tokens
		            WHERE token_hash = $1 AND suspended_at IS NOT NULL FOR UPDATE) before
		    WHERE t.token_hash = before.token_hash
		   RETURNING t.token_hash, t.name, before.suspended_at, before.suspended_reason
		 ), marked AS (
		   UPDATE llm_bound_violations v SET lifted_at = now()
		     FROM lifted WHERE v.key_hash = lifted.token_hash AND v.lifted_at IS NULL
		   RETURNING v.id
		 )
		 SELECT token_hash, name, to_json(suspended_at) #>> '{}' AS suspended_at, suspended_reason,
		        to_json(now()) #>> '{}' AS lifted_at, (SELECT count(*)::int FROM marked) AS violations
		   FROM lifted`,
		[tokenHash],
	);
	return rows[0];
}
